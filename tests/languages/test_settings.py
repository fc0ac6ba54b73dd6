"""Language settings: a company's language for e-mails, a user's for pages (issue 21)."""

import pytest

from registry.i18n import company_language, in_language
from registry.models import AuditEvent, Controller, Subcontractor, User
from tests.auth_helpers import post_form
from tests.controllers.helpers import signed_in, submit, text
from tests.controllers.test_views import VALID as CONTROLLER
from tests.registry_factories import make_controller
from tests.subcontractors.test_views import VALID as SUBCONTRACTOR


@pytest.mark.parametrize(("country", "chosen", "stored"), [
    ("FI", "", "fi"), ("SE", "", "sv"), ("DE", "", "en"), ("FI", "sv", "sv"), ("SE", "en", "en"),
])
def test_a_new_controller_s_language_is_chosen_or_its_country_s(app, client, country, chosen,
                                                                 stored):
    signed_in(client)
    values = dict(CONTROLLER, country=country, language=chosen,
                  business_id="1572860-0" if country == "FI" else "")
    assert submit(client, "/controllers/new", values).status_code == 302
    assert Controller.get().language == stored


def test_a_subcontractor_s_language_is_edited_and_audited(app, client):
    signed_in(client)
    assert submit(client, "/subcontractors/new", dict(SUBCONTRACTOR, country="AX",
                                                      business_id="")).status_code == 302
    subcontractor = Subcontractor.get()
    assert subcontractor.language == "sv"  # Åland writes in Swedish
    url = f"/subcontractors/{subcontractor.id}/edit"
    assert '<option selected value="sv">' in text(client.get(url))

    submit(client, url, dict(SUBCONTRACTOR, country="AX", business_id="", language="en"))

    assert Subcontractor.get_by_id(subcontractor.id).language == "en"
    event = AuditEvent.get(AuditEvent.action == "subcontractor.updated")
    assert '"language": "en"' in event.details


def test_company_language_falls_back_on_the_country(app):
    controller = make_controller(country="SE")
    assert company_language(controller) == "en"  # stored: the model's default
    controller.language = None
    assert company_language(controller) == "sv"


def test_in_language_renders_a_block_in_another_language(app):
    from datetime import date

    from flask_babel import format_date

    with app.test_request_context(headers={"Accept-Language": "en"}):
        with in_language("fi"):
            finnish = format_date(date(2026, 12, 3), "long")
        assert finnish == "3. joulukuuta 2026"
        assert format_date(date(2026, 12, 3), "long") == "December 3, 2026"


def test_the_user_s_language_overrides_the_browser_s(app, client):
    user = signed_in(client)
    assert 'lang="fi"' in text(client.get("/account", headers={"Accept-Language": "fi"}))

    response = post_form(client, "/account/language", {"language": "sv"}, page_url="/account")

    assert response.status_code == 302
    assert User.get_by_id(user.id).language == "sv"
    assert 'lang="sv"' in text(client.get("/account", headers={"Accept-Language": "fi"}))
    assert AuditEvent.get(AuditEvent.action == "auth.language_changed")

    post_form(client, "/account/language", {"language": ""}, page_url="/account")
    assert User.get_by_id(user.id).language is None
    assert 'lang="fi"' in text(client.get("/account", headers={"Accept-Language": "fi"}))


def test_an_unknown_language_is_refused(app, client):
    signed_in(client)
    response = post_form(client, "/account/language", {"language": "de"}, page_url="/account")
    assert response.status_code == 400
