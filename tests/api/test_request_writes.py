"""Data-subject requests (recorded, closed) and assistance requests (recorded, answered)
through the API as the request pages do."""

from datetime import datetime

from registry.models import AuditEvent, SubjectRequest, utcnow
from tests.registry_factories import make_controller, make_dpa
from tests.requests.factories import make_subject_request

ARRIVED = {"received_at": "2026-11-25T09:00:00+02:00", "channel": "email",
           "request_type": "erasure", "subject_reference": "Customer 4711"}


def test_a_request_is_recorded_with_its_forwarding_deadline(app, api, issue_token, clock):
    aurora = make_dpa(make_controller(name="Aurora Oy"), dsr_forward_days=3).controller
    token, user = issue_token("legal", "write")
    response = api.post("/api/v1/subject-requests", token=token,
                        json={**ARRIVED, "controller_id": aurora.id})
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert response.headers["Location"] == f"/api/v1/subject-requests/{body['id']}"
    assert body["reference"] == "DSR-2026-001" and body["forward_days"] == 3
    assert SubjectRequest.get_by_id(body["id"]).due_at == datetime(2026, 11, 30, 7, 0)
    event = AuditEvent.get(AuditEvent.action == "subject_request.recorded")
    assert event.actor_id == user.id
    unknown = api.post("/api/v1/subject-requests", token=token, json=ARRIVED)
    assert unknown.status_code == 201 and unknown.get_json()["controller_id"] is None
    assert SubjectRequest.get_by_id(unknown.get_json()["id"]).due_at == datetime(
        2026, 11, 27, 7, 0)  # Friday 09:00 Helsinki, as the page sets it


def test_the_forms_rules_come_back_as_a_422(app, api, issue_token, clock):
    ended = make_controller(status="ended", ended_on=datetime(2026, 1, 1).date())
    token, _user = issue_token("admin", "write")
    future = api.post("/api/v1/subject-requests", token=token,
                      json={**ARRIVED, "received_at": "2026-11-26T09:00:00+02:00"})
    assert future.status_code == 422 and "received_at" in future.get_json()["errors"]
    not_offered = api.post("/api/v1/subject-requests", token=token,
                           json={**ARRIVED, "controller_id": ended.id})
    assert not_offered.status_code == 422 and "controller" in not_offered.get_json()["errors"]
    assert SubjectRequest.select().count() == 0


def test_a_request_closes_once_forwarded_with_the_current_etag(app, api, issue_token, clock):
    row = make_subject_request(make_controller())
    token, user = issue_token("legal", "write")
    url = f"/api/v1/subject-requests/{row.id}/close"
    assert api.post(url, token=token).status_code == 428
    waiting = api.post(url, token=token, headers={"If-Match": '"r1"'})
    assert waiting.status_code == 409 and "Forward" in waiting.get_json()["detail"]
    SubjectRequest.update(forwarded_at=utcnow()).execute()
    assert api.post(url, token=token, headers={"If-Match": '"r5"'}).status_code == 412
    closed = api.post(url, token=token, headers={"If-Match": '"r1"'})
    assert closed.status_code == 200, closed.get_json()
    assert closed.get_json()["closed_at"] is not None
    assert AuditEvent.get(AuditEvent.action == "subject_request.closed").actor_id == user.id
    assert api.post(url, token=token, headers={"If-Match": "*"}).status_code == 409


def test_an_assistance_request_is_recorded_and_answered_once(app, api, issue_token, clock):
    aurora = make_controller(name="Aurora Oy")
    token, user = issue_token("legal", "write")
    asked = {"kind": "dpia", "controller_id": aurora.id, "received_on": "2026-11-20",
             "due_on": "2026-11-30", "summary": "Describe your security measures."}
    early = api.post("/api/v1/assistance-requests", token=token,
                     json={**asked, "due_on": "2026-11-19"})
    assert early.status_code == 422 and "due_on" in early.get_json()["errors"]
    created = api.post("/api/v1/assistance-requests", token=token, json=asked)
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert body["reference"] == "AR-2026-001" and body["due_on"] == "2026-11-30"
    assert AuditEvent.get(AuditEvent.action == "assistance_request.recorded").actor_id == user.id
    url = f"/api/v1/assistance-requests/{body['id']}/answer"
    answer = {"answered_on": "2026-11-24", "answer": "Sent our Art. 32 measures."}
    assert api.post(url, token=token, json=answer).status_code == 428
    before = api.post(url, token=token, headers={"If-Match": '"r1"'},
                      json={**answer, "answered_on": "2026-11-19"})
    assert before.status_code == 409 and "arrived" in before.get_json()["detail"]
    answered = api.post(url, token=token, headers={"If-Match": '"r1"'}, json=answer)
    assert answered.status_code == 200, answered.get_json()
    assert answered.get_json()["answered_on"] == "2026-11-24"
    assert answered.get_json()["answer_document_id"] is None
    assert AuditEvent.get(AuditEvent.action == "assistance_request.answered").actor_id == user.id
    again = api.post(url, token=token, headers={"If-Match": "*"}, json=answer)
    assert again.status_code == 409
