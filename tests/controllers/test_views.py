"""Controller pages: list with filters and sorting, detail dossier, create and edit."""

import json

import pytest

from registry.models import AuditEvent, Controller
from tests.controllers.helpers import signed_in, submit, text
from tests.registry_factories import (
    make_controller,
    make_dpa,
    make_engagement,
    make_instruction,
    make_subcontractor,
)

VALID = {"name": "Uusi Asiakas Oy", "country": "FI", "business_id": "1572860-0",
         "privacy_contacts": "tietosuoja@uusi.example\nDPO@Uusi.example",
         "services": "online store, reward shop", "ordered_via": "", "status": "active",
         "ended_on": "", "notes": ""}


def test_list_shows_each_controller_with_its_status_and_worst_finding(app, client):
    green = make_dpa().controller
    red = make_controller(name="Punainen Oy")
    signed_in(client)
    page = text(client.get("/controllers"))
    assert green.name in page and "Punainen Oy" in page
    assert "Punainen Oy has no signed DPA in force" in page
    assert "In order" in page and "Non-compliant" in page
    assert f'/controllers/{red.id}#dpa' in page  # the worst finding links to where it is fixed


def test_list_filters_by_search_status_compliance_and_finding(app, client):
    make_dpa(controller=make_controller(name="Aurora Kauppa Oy"))
    make_controller(name="Boreal Oy")
    make_dpa(controller=make_controller(name="Cirrus Oy", status="ended"))
    make_dpa(controller=make_controller(name="Delta Oy"), expires_on=None,
             clauses={"confidentiality": True})
    signed_in(client)
    assert "Boreal" not in text(client.get("/controllers?q=auro"))
    assert "Aurora" in text(client.get("/controllers?q=AURO"))
    ended = text(client.get("/controllers?lifecycle=ended"))
    assert "Cirrus" in ended and "Aurora" not in ended
    red = text(client.get("/controllers?severity=red"))
    assert "Boreal" in red and "Delta" in red and "Aurora" not in red
    missing = text(client.get("/controllers?finding=dpa_missing"))
    assert "Boreal" in missing and "Delta" not in missing
    clause = text(client.get("/controllers?finding=dpa_clause_missing"))
    assert "Delta" in clause and "Boreal" not in clause


def test_list_sorts_worst_first_and_paginates(app, client):
    for number in range(30):
        make_dpa(controller=make_controller(name=f"Asiakas {number:02d} Oy"))
    make_controller(name="Zeta Oy")
    signed_in(client)
    first = text(client.get("/controllers?sort=status"))
    assert first.index("Zeta Oy") < first.index("Asiakas 00 Oy")
    by_name = text(client.get("/controllers"))
    assert "Page 1 of 2" in by_name and "Zeta Oy" not in by_name
    second = text(client.get("/controllers?page=2"))
    assert "Zeta Oy" in second and "Asiakas 00 Oy" not in second


def test_empty_list_tells_legal_staff_what_to_do_and_auditors_see_no_button(app, client):
    signed_in(client)
    assert "Add the first client organisation" in text(client.get("/controllers"))
    auditor = type(client)(app, client.response_wrapper)
    signed_in(auditor, "auditor")
    page = text(auditor.get("/controllers"))
    assert "No controllers yet" in page and "/controllers/new" not in page


def test_no_match_offers_to_clear_the_filters(app, client):
    make_controller()
    signed_in(client)
    assert "No controller matches these filters" in text(client.get("/controllers?q=nothing"))


def test_detail_shows_dpa_checklist_history_instructions_subcontractors_findings(app, client):
    controller = make_controller(name="Aurora Kauppa Oy")
    old = make_dpa(controller=controller, version=1, status="superseded", title="DPA 2019")
    make_dpa(controller=controller, version=2, title="DPA 2024", supersedes=old,
             clauses={"documented_instructions": True, "confidentiality": True})
    make_instruction(controller=controller, title="Retention rule")
    subcontractor = make_subcontractor(name="Pilvi Hosting Oy")
    make_engagement(subcontractor=subcontractor, controller=controller)
    signed_in(client)
    page = text(client.get(f"/controllers/{controller.id}"))
    for letter in "abcdefgh":
        assert f"({letter})" in page
    assert "Security measures (Art. 32)" in page and "Missing" in page
    assert "DPA 2019" in page and "Superseded" in page and "DPA 2024" in page
    assert "Retention rule" in page
    assert "Pilvi Hosting Oy" in page and "Authorised" in page
    assert "lacks clause (c) security measures" in page


def test_detail_of_unknown_controller_is_404(app, client):
    signed_in(client)
    assert client.get("/controllers/999").status_code == 404


def test_create_records_the_controller_and_an_audit_event(app, client):
    signed_in(client)
    response = submit(client, "/controllers/new", VALID)
    assert response.status_code == 302
    controller = Controller.get(Controller.name == "Uusi Asiakas Oy")
    assert controller.key == "c-uusi-asiakas-oy"
    assert controller.privacy_contacts == ["tietosuoja@uusi.example", "DPO@uusi.example"]
    assert controller.services == ["online store", "reward shop"]
    event = AuditEvent.get(AuditEvent.action == "controller.created")
    assert json.loads(event.details)["after"]["name"] == "Uusi Asiakas Oy"
    assert "Register its DPA next" in text(client.get(response.headers["Location"]))


def test_a_finnish_business_id_is_stored_normalised(app, client):
    signed_in(client)
    response = submit(client, "/controllers/new", dict(VALID, business_id=" 112038-9 "))
    assert response.status_code == 302
    assert Controller.get().business_id == "0112038-9"


@pytest.mark.parametrize(("changes", "message"), [
    ({"business_id": "1572860-1"}, "This is not a valid Y-tunnus: check digit should be 0."),
    ({"business_id": "12345"}, "This is not a valid Y-tunnus: must look like 1234567-8."),
    ({"business_id": ""}, "Enter the Y-tunnus of this Finnish company."),
    ({"privacy_contacts": "dpo@example"}, "is not a valid e-mail address"),
    ({"name": ""}, "Enter the organisation&#39;s name."),
    ({"country": "Finland"}, "Use a two-letter code"),
    ({"status": "ended"}, "Enter the day the controller relationship ended."),
])
def test_create_shows_errors_next_to_the_field(app, client, changes, message):
    signed_in(client)
    response = submit(client, "/controllers/new", dict(VALID, **changes))
    assert response.status_code == 400
    assert message in text(response)
    assert 'class="field__error"' in text(response)
    assert Controller.select().count() == 0


def test_foreign_business_ids_are_not_checked_as_y_tunnus(app, client):
    signed_in(client)
    response = submit(client, "/controllers/new",
                      dict(VALID, country="se", business_id="556677-8899"))
    assert response.status_code == 302
    assert Controller.get().country == "SE"


def test_edit_saves_and_audits_before_and_after(app, client):
    controller = make_controller(name="Vanha Nimi Oy")
    signed_in(client)
    url = f"/controllers/{controller.id}/edit"
    assert "Vanha Nimi Oy" in text(client.get(url))
    response = submit(client, url, dict(VALID, name="Uusi Nimi Oy", status="ended",
                                         ended_on="2026-10-01"))
    assert response.status_code == 302
    controller = Controller.get_by_id(controller.id)
    assert (controller.name, controller.status, str(controller.ended_on)) == (
        "Uusi Nimi Oy", "ended", "2026-10-01")
    details = json.loads(AuditEvent.get(AuditEvent.action == "controller.updated").details)
    assert details["before"]["name"] == "Vanha Nimi Oy"
    assert details["after"]["name"] == "Uusi Nimi Oy"
    assert details["after"]["ended_on"] == "2026-10-01"


def test_auditor_sees_no_edit_buttons_and_every_write_is_refused(app, client):
    controller = make_controller()
    signed_in(client, "auditor")
    assert client.get("/controllers").status_code == 200
    page = text(client.get(f"/controllers/{controller.id}"))
    for action in ("Edit details", "Register a DPA", "Register the DPA", "Register an instr",
                   "Register one when",
                   "/edit", "/dpas/new", "/instructions/new"):
        assert action not in page
    assert client.get("/controllers/new").status_code == 403
    assert client.get(f"/controllers/{controller.id}/edit").status_code == 403
    response = submit(client, f"/controllers/{controller.id}/edit", VALID,
                      page_url=f"/controllers/{controller.id}")
    assert response.status_code == 403
    assert Controller.get_by_id(controller.id).name == controller.name


@pytest.mark.parametrize("url", ["/controllers", "/controllers/export.csv", "/controllers/1",
                                 "/controllers/new"])
def test_subcontractor_users_cannot_see_controllers(app, client, url):
    make_controller()
    signed_in(client, "subcontractor")
    assert client.get(url).status_code == 403


def test_edit_form_lists_contacts_one_per_line_and_saves_unchanged(app, client):
    controller = make_controller(privacy_contacts=["dpo@vanha.example", "privacy@vanha.example"],
                                 services=["online store", "vouchers"])
    signed_in(client)
    url = f"/controllers/{controller.id}/edit"
    page = text(client.get(url))
    assert "dpo@vanha.example\nprivacy@vanha.example</textarea>" in page
    assert "online store\nvouchers</textarea>" in page
    assert "[&#39;" not in page
    form = {"name": controller.name, "country": controller.country,
            "business_id": controller.business_id or "", "status": "active", "ended_on": "",
            "privacy_contacts": "dpo@vanha.example\nprivacy@vanha.example",
            "services": "online store\nvouchers", "ordered_via": "", "notes": ""}
    assert submit(client, url, form).status_code == 302
    saved = Controller.get_by_id(controller.id)
    assert saved.privacy_contacts == ["dpo@vanha.example", "privacy@vanha.example"]
    assert saved.services == ["online store", "vouchers"]


def test_list_downloads_csv_in_the_same_words_as_the_subcontractor_list(app, client):
    make_controller(country="SE", business_id="556677-8899")
    signed_in(client)
    page = text(client.get("/controllers"))
    assert ">Download CSV</a>" in page and "Export CSV" not in page
    assert '<td class="nowrap">556677-8899</td>' in page
