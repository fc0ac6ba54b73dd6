"""Writes go through the web forms' validators and the areas' operations: the same messages,
the same audit events, and If-Match guarding every update."""

from registry.models import Attestation, AuditEvent, Controller
from tests.api.seed import seed_registry
from tests.registry_factories import make_controller

NEW = {"name": "Kotileipä Oy", "country": "FI", "business_id": "1572860-0",
       "privacy_contacts": ["Tietosuoja@Kotileipa.example"], "services": ["online store"]}


def test_a_controller_is_created_as_the_form_creates_it(app, api, issue_token):
    token, user = issue_token("legal", "write")
    response = api.post("/api/v1/controllers", token=token, json=NEW)
    assert response.status_code == 201
    body = response.get_json()
    assert response.headers["Location"] == f"/api/v1/controllers/{body['id']}"
    assert response.headers["ETag"] == '"r1"'
    # Normalised by the form: the domain in lower case, as the web stores it.
    assert body["key"] == "c-kotileipa-oy" and body["privacy_contacts"] == [
        "Tietosuoja@kotileipa.example"]
    event = AuditEvent.get(AuditEvent.action == "controller.created")
    assert event.actor_id == user.id and event.object_id == str(body["id"])


def test_the_forms_messages_come_back_as_a_422(app, api, issue_token):
    token, _user = issue_token("legal", "write")
    response = api.post("/api/v1/controllers", token=token,
                        json={**NEW, "business_id": "1572860-1"})
    assert response.status_code == 422
    assert "business_id" in response.get_json()["errors"]
    ended = api.post("/api/v1/controllers", token=token, json={**NEW, "status": "ended"})
    assert ended.status_code == 422 and "ended_on" in ended.get_json()["errors"]
    extra = api.post("/api/v1/controllers", token=token, json={**NEW, "key": "mine"})
    assert extra.status_code == 422 and "key" in extra.get_json()["errors"]
    assert Controller.select().count() == 0


def test_a_body_that_is_not_json_is_refused(app, api, issue_token):
    token, _user = issue_token("legal", "write")
    assert api.post("/api/v1/controllers", token=token, data="name=x").status_code == 415
    assert api.post("/api/v1/controllers", token=token, data="[1]",
                    content_type="application/json").status_code == 400


def test_an_update_needs_the_current_etag(app, api, issue_token):
    controller = make_controller()
    token, user = issue_token("admin", "write")
    url = f"/api/v1/controllers/{controller.id}"
    etag = api.get(url, token=token).headers["ETag"]
    missing = api.patch(url, token=token, json={"notes": "x"})
    assert missing.status_code == 428
    malformed = api.patch(url, token=token, json={"notes": "x"}, headers={"If-Match": "r1"})
    assert malformed.status_code == 400
    changed = api.patch(url, token=token, json={"notes": "Call first"},
                        headers={"If-Match": etag})
    assert changed.status_code == 200 and changed.get_json()["notes"] == "Call first"
    assert changed.headers["ETag"] == '"r2"' != etag
    stale = api.patch(url, token=token, json={"notes": "Overwrite"}, headers={"If-Match": etag})
    assert stale.status_code == 412
    assert Controller.get_by_id(controller.id).notes == "Call first"
    event = AuditEvent.get(AuditEvent.action == "controller.updated")
    assert event.actor_id == user.id and "notes" in event.summary


def test_an_unchanged_update_writes_nothing(app, api, issue_token):
    controller = make_controller()
    token, _user = issue_token("legal", "write")
    url = f"/api/v1/controllers/{controller.id}"
    response = api.patch(url, token=token, json={"name": controller.name},
                         headers={"If-Match": '"r1"'})
    assert response.status_code == 200, response.get_json()
    assert response.headers["ETag"] == '"r1"'
    assert not AuditEvent.select().where(AuditEvent.action == "controller.updated").exists()


def test_attestations_are_reviewed_as_the_queue_reviews_them(app, api, issue_token, outbox):
    rows = seed_registry()
    token, user = issue_token("legal", "write")
    pending = (Attestation.select().where((Attestation.review == "pending")
                                          & (Attestation.subcontractor == rows["engaged"]))
               .get())
    url = f"/api/v1/attestations/{pending.id}/review"
    no_reason = api.post(url, token=token, json={"decision": "reject"})
    assert no_reason.status_code == 422
    accepted = api.post(url, token=token, json={"decision": "accept"})
    assert accepted.status_code == 200 and accepted.get_json()["review"] == "accepted"
    assert AuditEvent.get(AuditEvent.action == "attestation.accepted").actor_id == user.id
    again = api.post(url, token=token, json={"decision": "accept"})
    assert again.status_code == 409
    undocumented = Attestation.get(Attestation.subcontractor == rows["other"])
    refused = api.post(f"/api/v1/attestations/{undocumented.id}/review", token=token,
                       json={"decision": "accept"})
    assert refused.status_code == 409 and "document" in refused.get_json()["detail"]


SUBCONTRACTOR = {"name": "Pilvi Hosting Oy", "country": "FI", "business_id": "1572860-0",
                 "purpose": "Hosting of the online store", "processing_countries": ["FI", "SE"],
                 "data_categories": ["names", "order history"], "risk_tier": "high",
                 "handles_card_data": True, "contacts": ["security@pilvi.example"]}


def test_a_subcontractor_is_created_and_changed_as_its_forms_do(app, api, issue_token):
    token, user = issue_token("legal", "write")
    created = api.post("/api/v1/subcontractors", token=token, json=SUBCONTRACTOR)
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert body["processing_countries"] == ["FI", "SE"] and body["handles_card_data"] is True
    assert body["status"] == "proposed" and body["risk_tier"] == "high"
    url = f"/api/v1/subcontractors/{body['id']}"
    unknown = api.patch(url, token=token, json={"processing_countries": ["XX"]},
                        headers={"If-Match": created.headers["ETag"]})
    assert unknown.status_code == 422  # the form's own check of ISO codes
    assert "processing_countries" in unknown.get_json()["errors"]
    changed = api.patch(url, token=token, json={"handles_card_data": False, "status": "active"},
                        headers={"If-Match": created.headers["ETag"]})
    assert changed.status_code == 200, changed.get_json()
    assert changed.get_json()["handles_card_data"] is False
    assert changed.get_json()["status"] == "active"
    assert changed.get_json()["data_categories"] == ["names", "order history"]
    event = AuditEvent.get(AuditEvent.action == "subcontractor.updated")
    assert event.actor_id == user.id
    stale = api.patch(url, token=token, json={"purpose": "x"},
                      headers={"If-Match": created.headers["ETag"]})
    assert stale.status_code == 412


def test_a_subcontractor_cannot_be_its_own_parent(app, api, issue_token):
    token, _user = issue_token("admin", "write")
    created = api.post("/api/v1/subcontractors", token=token, json=SUBCONTRACTOR).get_json()
    loop = api.patch(f"/api/v1/subcontractors/{created['id']}", token=token,
                     json={"parent_id": created["id"]}, headers={"If-Match": '"r1"'})
    assert loop.status_code == 422 and "parent" in loop.get_json()["errors"]
