"""The subcontractor list, detail, create, edit and offboard pages."""

import json
from datetime import timedelta

import pytest

from registry.models import AuditEvent, Engagement, Subcontractor
from tests.registry_factories import (
    make_attestation,
    make_controller,
    make_dpa,
    make_engagement,
    make_requirement,
    make_subcontractor,
)
from tests.subcontractors.helpers import form_post, signed_in, text, today

VALID = {
    "name": "Pilvi Hosting Oy", "country": "FI", "business_id": "1572860-0",
    "website": "https://pilvi.example", "purpose": "Hosting of the online stores",
    "data_categories": "names\ne-mail addresses", "processing_countries": "FI, se",
    "transfer_mechanism": "", "tia_on": "", "risk_tier": "medium", "status": "proposed",
    "contacts": "security@pilvi.example", "breach_notice_hours": "24",
}


def test_list_shows_worst_finding_and_evidence(client):
    signed_in(client)
    make_requirement()
    good = make_subcontractor(name="Alpha Oy")
    make_attestation(good)
    make_subcontractor(name="Beta Oy")
    page = text(client.get("/subcontractors"))
    assert "Alpha Oy" in page and "Beta Oy" in page
    assert "1 of 1 met" in page and "0 of 1 met" in page
    assert "Non-compliant" in page and "In order" in page


def test_list_filters_by_worst_finding_search_tier_and_status(client):
    signed_in(client)
    make_requirement()
    good = make_subcontractor(name="Alpha Oy")
    make_attestation(good)
    make_subcontractor(name="Beta Oy", risk_tier="low")
    make_subcontractor(name="Gamma GmbH", country="DE", status="offboarded")
    red = text(client.get("/subcontractors?worst=red"))
    assert "Beta Oy" in red and "Alpha Oy" not in red
    assert "Alpha Oy" in text(client.get("/subcontractors?q=alph"))
    assert "Beta Oy" not in text(client.get("/subcontractors?q=alph"))
    assert "Gamma GmbH" not in text(client.get("/subcontractors"))
    offboarded = text(client.get("/subcontractors?status=offboarded&country=DE"))
    assert "Gamma GmbH" in offboarded and "Alpha Oy" not in offboarded
    assert "No subcontractor matches" in text(client.get("/subcontractors?tier=high"))


def test_list_sorts_by_worst_finding_and_paginates(client):
    signed_in(client)
    make_requirement()
    for number in range(30):
        subcontractor = make_subcontractor(name=f"Company {number:02d} Oy")
        if number % 2:
            make_attestation(subcontractor)
    page = text(client.get("/subcontractors?sort=worst"))
    assert page.index("Company 00 Oy") < page.index("Company 01 Oy")
    assert "Page 1 of 2" in page
    second = text(client.get("/subcontractors?sort=name&page=2"))
    assert "Company 29 Oy" in second and "Company 00 Oy" not in second


def test_empty_list_says_what_to_do(client):
    signed_in(client)
    page = text(client.get("/subcontractors"))
    assert "No subcontractors yet." in page and "Add a subcontractor" in page


def test_detail_shows_matrix_flow_down_transfers_and_engagements(client):
    signed_in(client)
    make_requirement(key="medium_cert", tier="medium", type_codes=("iso27001", "soc2_type2"))
    make_requirement(key="medium_pentest", tier="medium", type_codes=("pentest_report",))
    subcontractor = make_subcontractor(name="Cloud Inc", country="US", risk_tier="medium",
                                       processing_countries=["US", "IE"],
                                       transfer_mechanism="dpf")
    make_attestation(subcontractor, "iso27001", issuer="Cert Body",
                     valid_until=today() + timedelta(days=400))
    controller = make_controller(name="Kauppa Oy")
    make_dpa(controller)
    make_engagement(subcontractor, controller)
    page = text(client.get(f"/subcontractors/{subcontractor.id}"))
    assert "Requirements matrix" in page
    assert "medium cert" in page and "Cert Body" in page
    assert "medium pentest" in page and "Missing" in page
    assert "(a) documented instructions only" in page
    assert "EU-US Data Privacy Framework" in page
    assert "United States (US)" in page and "outside the EEA" in page
    assert "Kauppa Oy" in page and "Authorised" in page


def test_detail_of_unknown_subcontractor_is_404(client):
    signed_in(client)
    assert client.get("/subcontractors/999").status_code == 404


def test_create_subcontractor(client):
    user = signed_in(client)
    response = form_post(client, "/subcontractors/new", VALID)
    assert response.status_code == 302
    subcontractor = Subcontractor.get(Subcontractor.name == "Pilvi Hosting Oy")
    assert subcontractor.key == "pilvi-hosting-oy"
    assert subcontractor.processing_countries == ["FI", "SE"]
    assert subcontractor.contacts == ["security@pilvi.example"]
    assert subcontractor.data_categories == ["names", "e-mail addresses"]
    event = AuditEvent.get(AuditEvent.action == "subcontractor.created")
    assert event.actor_id == user.id and "Pilvi Hosting Oy" in event.details
    assert "was added" in text(client.get(response.headers["Location"]))


@pytest.mark.parametrize(("field", "value", "message"), [
    ("business_id", "1572860-1", "This is not a valid Y-tunnus: check digit should be 0."),
    ("business_id", "", "Enter the Y-tunnus of this Finnish company."),
    ("tia_on", "2999-01-01", "The transfer impact assessment date cannot be in the future."),
    ("processing_countries", "FI, XX", "Not an ISO country code: XX"),
    ("contacts", "security@pilvi.example\nnot-an-address", "Not an e-mail address: not-an-address"),
    ("name", "", "Enter the company&#39;s name."),
    ("transfer_mechanism", "scc_1999", "Not a valid choice"),
])
def test_create_refuses_invalid_values_next_to_the_field(client, field, value, message):
    signed_in(client)
    response = form_post(client, "/subcontractors/new", dict(VALID, **{field: value}))
    assert response.status_code == 400
    page = text(response)
    assert message in page and 'aria-invalid="true"' in page
    assert Subcontractor.select().count() == 0


def test_a_finnish_business_id_is_stored_normalised(client):
    signed_in(client)
    response = form_post(client, "/subcontractors/new", dict(VALID, business_id=" 112038-9 "))
    assert response.status_code == 302
    assert Subcontractor.get().business_id == "0112038-9"


def test_business_id_is_not_checked_for_other_countries(client):
    signed_in(client)
    response = form_post(client, "/subcontractors/new",
                         dict(VALID, country="SE", business_id="556016-0680"))
    assert response.status_code == 302


def test_edit_records_before_and_after(client):
    signed_in(client)
    subcontractor = make_subcontractor(name="Old Name Oy", data_categories=["names", "orders"],
                                       breach_notice_hours=None)
    url = f"/subcontractors/{subcontractor.id}/edit"
    page = text(client.get(url))
    assert "Old Name Oy" in page
    assert f"\n{subcontractor.contacts[0]}</textarea>" in page
    assert "\nnames\norders</textarea>" in page and "[&#39;" not in page
    response = form_post(client, url, dict(VALID, name="New Name Oy", risk_tier="high"))
    assert response.status_code == 302
    assert Subcontractor.get_by_id(subcontractor.id).risk_tier == "high"
    event = AuditEvent.get(AuditEvent.action == "subcontractor.updated")
    details = json.loads(event.details)
    # VALID leaves the language to the country (FI: fi), a change from the factory's "en".
    assert details["before"] == {"name": "Old Name Oy", "risk_tier": "low", "language": "en",
                                 "business_id": None, "website": "",
                                 "purpose": "", "data_categories": ["names", "orders"],
                                 "processing_countries": ["FI"], "status": "active",
                                 "contacts": subcontractor.contacts, "breach_notice_hours": None}
    assert details["after"]["name"] == "New Name Oy" and details["after"]["risk_tier"] == "high"


def test_offboarding_withdraws_engagements_in_one_go(client):
    signed_in(client)
    subcontractor = make_subcontractor()
    first, second = make_controller(), make_controller()
    make_engagement(subcontractor, first)
    make_engagement(subcontractor, second)
    url = f"/subcontractors/{subcontractor.id}"
    response = form_post(client, f"{url}/offboard", {"offboarded_on": today().isoformat()},
                         page_url=url)
    assert response.status_code == 302
    stored = Subcontractor.get_by_id(subcontractor.id)
    assert stored.status == "offboarded" and stored.offboarded_on == today()
    assert {e.withdrawn_on for e in Engagement.select()} == {today()}
    event = AuditEvent.get(AuditEvent.action == "subcontractor.offboarded")
    assert "2 engagements withdrawn" in event.summary
    page = text(client.get(response.headers["Location"]))
    assert "was offboarded; 2 engagements were withdrawn" in page and "Edit details" not in page


@pytest.mark.parametrize("engaged, message", [
    (1, "was offboarded; 1 engagement was withdrawn, and its users"),
    (0, "was offboarded; it had no open engagement, and its users"),
])
def test_offboarding_message_counts_engagements_in_words(client, engaged, message):
    signed_in(client)
    subcontractor = make_subcontractor()
    for _ in range(engaged):
        make_engagement(subcontractor, make_controller())
    url = f"/subcontractors/{subcontractor.id}"
    response = form_post(client, f"{url}/offboard", {"offboarded_on": today().isoformat()},
                         page_url=url)
    assert message in text(client.get(response.headers["Location"]))


def test_offboarding_date_cannot_be_in_the_future(client):
    signed_in(client)
    subcontractor = make_subcontractor()
    url = f"/subcontractors/{subcontractor.id}"
    tomorrow = (today() + timedelta(days=1)).isoformat()
    response = form_post(client, f"{url}/offboard", {"offboarded_on": tomorrow}, page_url=url)
    assert response.status_code == 400
    assert "The offboarding date cannot be in the future." in text(response)
    assert Subcontractor.get_by_id(subcontractor.id).status == "active"


def test_auditor_reads_without_edit_buttons_and_cannot_write(client):
    signed_in(client, "auditor")
    subcontractor = make_subcontractor()
    page = text(client.get(f"/subcontractors/{subcontractor.id}"))
    assert "Edit details" not in page and "Offboard" not in page
    assert "Add a subcontractor" not in text(client.get("/subcontractors"))
    assert client.get("/subcontractors/new").status_code == 403
    assert client.get(f"/subcontractors/{subcontractor.id}/edit").status_code == 403
    assert client.post(f"/subcontractors/{subcontractor.id}/offboard").status_code == 403


def test_subcontractor_users_are_refused(client):
    subcontractor = make_subcontractor()
    signed_in(client, "subcontractor", subcontractor=subcontractor)
    for url in ("/subcontractors", f"/subcontractors/{subcontractor.id}",
                "/subcontractors/export.csv", "/subcontractors/new"):
        assert client.get(url).status_code == 403, url


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get("/subcontractors")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_only_web_addresses_become_links(client):
    signed_in(client)
    unsafe = make_subcontractor(website="javascript://%0aalert(1)")
    safe = make_subcontractor(website="https://vendor.example/")
    assert 'href="javascript' not in text(client.get(f"/subcontractors/{unsafe.id}"))
    assert 'href="https://vendor.example/"' in text(client.get(f"/subcontractors/{safe.id}"))
