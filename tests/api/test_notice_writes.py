"""Notices through the API as the pages' buttons send them: recorded and audited in the request,
the e-mail handed to the mail outbox or the worker, never sent inside the request."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from huey.storage import SqliteStorage

from registry import tasks
from registry.models import (
    AuditEvent,
    Engagement,
    IncidentMessage,
    IncidentNotice,
    MailMessage,
    SubjectRequest,
)
from tests.factories import make_user
from tests.incidents.factories import make_incident
from tests.registry_factories import make_controller, make_dpa, make_engagement, make_subcontractor
from tests.requests.factories import make_subject_request

AWARE = datetime(2026, 11, 25, 7, 0, tzinfo=UTC)


@pytest.fixture
def queue(tmp_path, monkeypatch):
    """The huey queue on a private SQLite file: tasks wait in it as for the worker."""
    storage = SqliteStorage("dpa-registry", filename=str(tmp_path / "queue" / "huey.sqlite3"),
                            create_tables=False)
    monkeypatch.setattr(tasks.huey, "storage", storage)
    tasks.prepare_storage(tasks.huey)
    return tasks.huey


def _mailed(app):
    folder = Path(app.config["OUTBOX_DIR"])
    return sorted(folder.glob("*.eml")) if folder.is_dir() else []


def _proposed(**subcontractor):
    controller = make_controller(privacy_contacts=["privacy@kauppa.example"])
    make_dpa(controller, objection_period_days=14)
    return make_engagement(make_subcontractor(**subcontractor), controller,
                           on_list_at_signing=False)


def test_an_engagement_notice_goes_to_the_outbox_as_from_its_page(app, api, issue_token,
                                                                   outbox):
    engagement = _proposed()
    token, user = issue_token("legal", "write")
    url = f"/api/v1/engagements/{engagement.id}/notify"
    assert api.post(url, token=token, json={}).status_code == 428
    assert api.post(url, token=token, json={}, headers={"If-Match": '"r9"'}).status_code == 412
    response = api.post(url, token=token, json={}, headers={"If-Match": '"r1"'})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["notified_on"] is not None and body["objection_deadline"] is not None
    queued = MailMessage.get(MailMessage.purpose == "engagement notice")
    assert queued.status == "queued" and queued.recipients == ["privacy@kauppa.example"]
    assert _mailed(app) == []  # nothing was sent inside the request
    assert Engagement.get_by_id(engagement.id).notice_sent_at is None
    event = AuditEvent.get(AuditEvent.action == "engagement.notified")
    assert event.actor_id == user.id
    assert response.headers["ETag"] == '"r2"', "the notice is a change: the old version is stale"
    [mail] = outbox()
    assert mail["To"] == "privacy@kauppa.example"
    again = api.post(url, token=token, json={}, headers={"If-Match": response.headers["ETag"]})
    assert again.status_code == 409 and "notified already" in again.get_json()["detail"]
    assert AuditEvent.select().where(AuditEvent.action == "engagement.notified").count() == 1


def test_an_unready_subcontractor_is_announced_only_when_confirmed(app, api, issue_token):
    engagement = _proposed(flow_down=False)
    token, _user = issue_token("admin", "write")
    url = f"/api/v1/engagements/{engagement.id}/notify"
    warned = api.post(url, token=token, json={}, headers={"If-Match": '"r1"'})
    assert warned.status_code == 409, warned.get_json()
    assert any("flow-down" in gap.lower() for gap in warned.get_json()["gaps"])
    assert Engagement.get_by_id(engagement.id).notified_on is None
    assert not MailMessage.select().exists()
    sent = api.post(url, token=token, json={"send_despite_gaps": True},
                    headers={"If-Match": '"r1"'})
    assert sent.status_code == 200, sent.get_json()
    event = AuditEvent.get(AuditEvent.action == "engagement.notice_despite_gaps")
    assert "flow_down_missing" in event.details
    assert MailMessage.select().count() == 1


def test_a_notice_is_refused_with_422_403_and_to_other_companies(app, api, issue_token):
    engagement = _proposed()
    url = f"/api/v1/engagements/{engagement.id}/notify"
    token, _user = issue_token("legal", "write")
    invalid = api.post(url, token=token, json={"send_despite_gaps": "perhaps"},
                       headers={"If-Match": '"r1"'})
    assert invalid.status_code == 422 and "send_despite_gaps" in invalid.get_json()["errors"]
    auditor, _auditor = issue_token("auditor", "read")
    assert api.post(url, token=auditor, json={},
                    headers={"If-Match": '"r1"'}).status_code == 403
    company = make_subcontractor()
    own = make_user("subcontractor", subcontractor=company)
    theirs, _own = issue_token("subcontractor", "read", user=own)
    assert api.post(url, token=theirs, json={},
                    headers={"If-Match": '"r1"'}).status_code == 403
    assert Engagement.get_by_id(engagement.id).notified_on is None


@pytest.fixture
def incident(app, clock):
    aurora = make_dpa(make_controller(name="Aurora Kauppa Oy",
                                      privacy_contacts=["dpo@aurora.example"])).controller
    borealis = make_dpa(make_controller(name="Borealis Oy",
                                        privacy_contacts=["privacy@borealis.example"]))
    return make_incident([aurora, borealis.controller], aware_at=AWARE,
                         reference="INC-2026-007")


def test_an_incident_notice_is_queued_for_the_worker(app, api, issue_token, incident, queue):
    token, user = issue_token("legal", "write")
    url = f"/api/v1/incidents/{incident.id}/notify"
    borealis = IncidentNotice.get(IncidentNotice.controller != incident.notices[0].controller)
    stranger = make_controller()
    unknown = api.post(url, token=token, json={"controller_id": stranger.id},
                       headers={"If-Match": '"r1"'})
    assert unknown.status_code == 422 and "controller_id" in unknown.get_json()["errors"]
    assert api.post(url, token=token, json={}).status_code == 428
    one = api.post(url, token=token, json={"controller_id": borealis.controller_id},
                   headers={"If-Match": '"r1"'})
    assert one.status_code == 200, one.get_json()
    [message] = IncidentMessage.select()
    assert message.notice_id == borealis.id and message.sent_at is None
    assert queue.pending_count() == 1  # the worker mails it, not the request
    event = AuditEvent.get(AuditEvent.action == "incident.notices_queued")
    assert event.actor_id == user.id and str(borealis.controller_id) in event.details
    rest = api.post(url, token=token, json={}, headers={"If-Match": one.headers["ETag"]})
    assert rest.status_code == 200
    assert IncidentMessage.select().count() == 2
    again = api.post(url, token=token, json={}, headers={"If-Match": rest.headers["ETag"]})
    assert again.status_code == 409 and "notified already" in again.get_json()["detail"]


def test_a_subcontractor_token_cannot_notify_about_its_own_incident(app, api, issue_token,
                                                                    incident, queue):
    company = make_subcontractor()
    incident.subcontractor = company
    incident.save()
    token, _user = issue_token("subcontractor", "read", subcontractor=company)
    response = api.post(f"/api/v1/incidents/{incident.id}/notify", token=token, json={},
                        headers={"If-Match": '"r1"'})
    assert response.status_code == 403
    assert not IncidentMessage.select().exists()


def test_a_subject_request_is_forwarded_by_the_worker(app, api, issue_token, clock, queue):
    aurora = make_dpa(make_controller(name="Aurora Kauppa Oy",
                                      privacy_contacts=["dpo@aurora.example"])).controller
    row = make_subject_request(aurora, received_at=AWARE)
    token, user = issue_token("admin", "write")
    url = f"/api/v1/subject-requests/{row.id}/forward"
    assert api.post(url, token=token).status_code == 428
    assert api.post(url, token=token, headers={"If-Match": '"r5"'}).status_code == 412
    forwarded = api.post(url, token=token, headers={"If-Match": '"r1"'})
    assert forwarded.status_code == 200, forwarded.get_json()
    stored = SubjectRequest.get_by_id(row.id)
    assert stored.forward_recipients == ["dpo@aurora.example"] and stored.forwarded_at is None
    assert queue.pending_count() == 1  # the worker mails it, not the request
    assert AuditEvent.get(AuditEvent.action == "subject_request.forward_queued").actor_id == \
        user.id
    again = api.post(url, token=token, headers={"If-Match": forwarded.headers["ETag"]})
    assert again.status_code == 409 and "on its way" in again.get_json()["detail"]
    unknown = make_subject_request(None, received_at=AWARE)
    refused = api.post(f"/api/v1/subject-requests/{unknown.id}/forward", token=token,
                       headers={"If-Match": '"r1"'})
    assert refused.status_code == 409 and "Identify the controller" in \
        refused.get_json()["detail"]
    auditor, _auditor = issue_token("auditor", "read")
    assert api.post(url, token=auditor, headers={"If-Match": "*"}).status_code == 403
