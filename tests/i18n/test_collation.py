"""Names sort in the alphabetical order of the page's language: å, ä, ö after z in fi and sv."""

from datetime import date

import pytest
from flask_babel import force_locale

from registry import collation
from registry.formatting import relative_days

NAMES = ["Åkerlund", "Ärölä", "Öhman", "Zetterberg", "Aalto"]
NORDIC_ORDER = ["Aalto", "Zetterberg", "Åkerlund", "Ärölä", "Öhman"]


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_finnish_and_swedish_put_a_ring_a_umlaut_and_o_umlaut_after_z(language):
    assert collation.sorted_names(NAMES, language) == NORDIC_ORDER


def test_english_files_them_under_a_and_o():
    assert collation.sorted_names(NAMES, "en") == [
        "Aalto", "Åkerlund", "Ärölä", "Öhman", "Zetterberg"]


@pytest.mark.parametrize("language, expected", [
    ("fi", NORDIC_ORDER), ("sv", NORDIC_ORDER),
    ("en", ["Aalto", "Åkerlund", "Ärölä", "Öhman", "Zetterberg"]),
])
def test_the_fallback_without_icu_orders_the_same(monkeypatch, language, expected):
    monkeypatch.setattr(collation, "icu", None)
    assert collation.sorted_names(NAMES, language) == expected


def test_case_and_accents_do_not_split_the_alphabet():
    names = ["émile", "Eero", "eino", "Ödön", "oona"]
    assert collation.sorted_names(names, "fi") == ["Eero", "eino", "émile", "oona", "Ödön"]


def test_the_controller_list_sorts_by_the_page_language(app, make_client):
    from registry.models import Controller
    from tests.auth_helpers import login
    from tests.factories import make_user

    for number, name in enumerate(NAMES):
        Controller.create(key=f"c{number}", name=name, country="FI")
    client = login(make_client(), make_user("legal"))
    for language, expected in (("fi", NORDIC_ORDER), ("sv", NORDIC_ORDER),
                               ("en", collation.sorted_names(NAMES, "en"))):
        html = client.get("/controllers", headers={"Accept-Language": language}).get_data(
            as_text=True)
        assert sorted(NAMES, key=html.index) == expected, language


@pytest.mark.parametrize("language, ahead, behind", [
    ("fi", "12 päivän kuluttua", "3 kuukautta sitten"),
    ("sv", "om 12 dagar", "för 3 månader sedan"),
    ("en", "in 12 days", "3 months ago"),
])
def test_relative_dates_are_in_the_page_language(app, language, ahead, behind):
    today = date(2026, 12, 3)
    with app.test_request_context(), force_locale(language):
        assert relative_days(date(2026, 12, 15), today) == ahead
        assert relative_days(date(2026, 9, 3), today) == behind

