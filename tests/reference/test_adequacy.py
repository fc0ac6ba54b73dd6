"""Adequacy decisions: listed by country, lapsing ones marked, added and edited, never deleted."""

from datetime import date, timedelta

import pytest

from registry.clock import local_today
from registry.models import AdequacyDecision
from tests.reference.helpers import audit_details, decision, seeded, signed_in, submit, text

LIST = "/reference/adequacy-decisions"
NEW = "/admin/reference/adequacy-decisions/new"


def edit_url(country_code):
    return f"/admin/reference/adequacy-decisions/{decision(country_code).id}/edit"


def _row(page, country):
    start = page.index(f'<th scope="row">{country}</th>')
    return page[page.rindex("<tr", 0, start):page.index("</tr>", start)]


@pytest.mark.parametrize("role", ["admin", "legal", "auditor"])
def test_staff_read_the_decisions_by_country(app, client, role):
    seeded()
    signed_in(client, role)
    page = text(client.get(LIST))
    assert "United Kingdom (GB)" in page and "Japan (JP)" in page
    assert page.index("Andorra (AD)") < page.index("Uruguay (UY)")
    assert "In force" in _row(page, "United Kingdom (GB)")
    assert ("Add a decision" in page) is (role == "admin")
    assert (edit_url("GB") in page) is (role == "admin")


def test_decisions_lapsing_within_12_months_are_highlighted(app, client):
    today = local_today()
    AdequacyDecision.create(country_code="KR", decided_on=date(2021, 12, 17),
                            valid_until=today + timedelta(days=200))
    AdequacyDecision.create(country_code="JP", decided_on=date(2019, 1, 23),
                            valid_until=today + timedelta(days=400))
    AdequacyDecision.create(country_code="AR", decided_on=date(2003, 6, 30),
                            valid_until=today - timedelta(days=1))
    signed_in(client, "legal")
    page = text(client.get(LIST))
    korea = _row(page, "South Korea (KR)")
    assert "reference-decision--lapsing" in korea and "Lapses soon" in korea
    assert "1 decision lapses within 12 months: South Korea (KR)." in page
    assert "reference-decision--in_force" in _row(page, "Japan (JP)")
    assert "Ended" in _row(page, "Argentina (AR)")


def test_no_decisions_shows_an_empty_state(app, client):
    signed_in(client, "auditor")
    page = text(client.get(LIST))
    assert "No adequacy decisions recorded." in page and "Add a decision" not in page


def test_admin_adds_a_decision(app, client):
    signed_in(client, "admin")
    response = submit(client, NEW, {"country_code": "br", "decided_on": "2026-09-01",
                                    "valid_until": "", "scope_note": "Brazil (LGPD)."})
    assert response.status_code == 302
    assert "The decision for Brazil (BR) was recorded." in text(client.get(LIST))
    added = decision("BR")
    assert (added.decided_on, added.valid_until) == (date(2026, 9, 1), None)
    assert audit_details("adequacy_decision.created")["after"] == {
        "country_code": "BR", "decided_on": "2026-09-01", "valid_until": None,
        "scope_note": "Brazil (LGPD)."}


@pytest.mark.parametrize(("change", "field", "message"), [
    ({"country_code": ""}, "country_code", "Choose the country."),
    ({"country_code": "XX"}, "country_code", "XX is not an ISO 3166-1 country code."),
    ({"country_code": "SE"}, "country_code", "Countries in the EEA need no adequacy decision."),
    ({"country_code": "JP"}, "country_code", "This country has a decision without an end date"),
    ({"country_code": "GB", "decided_on": "2025-12-19"}, "country_code",
     "This country has a decision of that date already"),
    ({"decided_on": ""}, "decided_on", "Enter the date (day, month and year)."),
    ({"valid_until": "2020-01-01"}, "valid_until", "cannot be before the decision date"),
])
def test_invalid_decisions_are_explained_next_to_the_field(app, client, change, field, message):
    seeded()
    signed_in(client, "admin")
    values = {"country_code": "BR", "decided_on": "2026-09-01", "valid_until": "2030-01-01"}
    response = submit(client, NEW, {**values, **change})
    page = text(response)
    assert response.status_code == 400
    error = page[page.index(f'id="{field}-error"'):]
    assert message in error[:300]
    assert AdequacyDecision.get_or_none(AdequacyDecision.country_code == "BR") is None


def test_the_country_list_offers_no_eea_country(app, client):
    signed_in(client, "admin")
    form = text(client.get(NEW))
    assert 'value="BR"' in form and 'value="GB"' in form
    assert 'value="SE"' not in form and 'value="NO"' not in form


def test_admin_ends_a_decision_by_its_last_day_and_the_row_stays(app, client):
    seeded()
    signed_in(client, "admin")
    yesterday = local_today() - timedelta(days=1)
    url = edit_url("GB")
    assert "United Kingdom (GB)" in text(client.get(url))
    response = submit(client, url, {"country_code": "US", "decided_on": "2025-12-19",
                                    "valid_until": yesterday.isoformat(),
                                    "scope_note": decision("GB").scope_note})
    assert response.status_code == 302
    page = text(client.get(LIST))
    assert "is no longer in force: transfers that rest on it now show red" in page
    assert "Ended" in _row(page, "United Kingdom (GB)")
    ended = decision("GB")
    assert ended.valid_until == yesterday and ended.country_code == "GB"
    assert audit_details("adequacy_decision.updated") == {
        "before": {"valid_until": "2031-12-27"}, "after": {"valid_until": yesterday.isoformat()}}


def test_the_edit_page_names_the_subcontractors_that_rely_on_it(app, client):
    from tests.registry_factories import make_subcontractor

    seeded()
    make_subcontractor(name="London Cloud Ltd", country="GB", processing_countries=["GB"],
                       transfer_mechanism="adequacy")
    make_subcontractor(name="Helsinki Hosting Oy")
    signed_in(client, "admin")
    page = text(client.get(edit_url("GB")))
    assert "Transfers of 1 subcontractor rest on this decision" in page
    assert "London Cloud Ltd" in page and "Helsinki Hosting Oy" not in page


def test_an_unknown_decision_is_not_found(app, client):
    signed_in(client, "admin")
    assert client.get("/admin/reference/adequacy-decisions/999/edit").status_code == 404
