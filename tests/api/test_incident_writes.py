"""Incidents recorded and closed through the API as the incident pages record and close them."""

import json
from datetime import datetime

from registry.models import AuditEvent, Incident, IncidentNotice, utcnow
from tests.incidents.factories import make_incident
from tests.registry_factories import (
    make_controller,
    make_dpa,
    make_engagement,
    make_subcontractor,
)

FACTS = {"title": "Order export e-mailed to the wrong customer",
         "aware_at": "2026-11-25T09:00:00+02:00", "nature": "An order export went astray.",
         "data_subject_count": 120, "contact_point": "DPO, dpo@processor.example"}


def test_an_incident_is_recorded_with_each_controllers_deadline(app, api, issue_token, clock):
    aurora = make_dpa(make_controller(name="Aurora Oy"), breach_notice_hours=24).controller
    borealis = make_dpa(make_controller(name="Borealis Oy"), breach_notice_hours=None).controller
    app.config["BREACH_NOTICE_DEFAULT_HOURS"] = 36
    token, user = issue_token("legal", "write")
    response = api.post("/api/v1/incidents", token=token,
                        json={**FACTS, "controller_ids": [aurora.id, borealis.id]})
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert response.headers["Location"] == f"/api/v1/incidents/{body['id']}"
    assert body["reference"] == "INC-2026-001" and body["aware_at"].startswith("2026-11-25T07:00")
    incident = Incident.get_by_id(body["id"])
    due = {notice.controller_id: (notice.breach_notice_hours, notice.due_at)
           for notice in incident.notices}
    assert due == {aurora.id: (24, datetime(2026, 11, 26, 7, 0)),
                   borealis.id: (None, datetime(2026, 11, 26, 19, 0))}
    event = AuditEvent.get(AuditEvent.action == "incident.recorded")
    assert event.actor_id == user.id
    assert json.loads(event.details)["controllers"] == sorted([aurora.id, borealis.id])


def test_the_forms_rules_come_back_as_a_422(app, api, issue_token, clock):
    aurora = make_controller()
    token, _user = issue_token("admin", "write")
    future = api.post("/api/v1/incidents", token=token,
                      json={**FACTS, "aware_at": "2026-11-26T09:00:00+02:00",
                            "controller_ids": [aurora.id]})
    assert future.status_code == 422 and "aware_at" in future.get_json()["errors"]
    nobody = api.post("/api/v1/incidents", token=token, json=FACTS)
    assert nobody.status_code == 422 and "controllers" in nobody.get_json()["errors"]
    reported = api.post("/api/v1/incidents", token=token,
                        json={**FACTS, "detected_by": "subcontractor",
                              "controller_ids": [aurora.id]})
    assert reported.status_code == 422 and "subcontractor" in reported.get_json()["errors"]
    assert Incident.select().count() == 0


def test_a_subcontractors_report_affects_every_controller_it_processes_for(app, api,
                                                                          issue_token, clock):
    aurora, borealis = make_controller(name="Aurora Oy"), make_controller(name="Borealis Oy")
    pilvi = make_subcontractor(name="Pilvi Oy", breach_notice_hours=24)
    make_engagement(pilvi, aurora)
    token, _user = issue_token("legal", "write")
    response = api.post("/api/v1/incidents", token=token, json={
        **FACTS, "detected_by": "subcontractor", "subcontractor_id": pilvi.id,
        "subcontractor_aware_at": "2026-11-23T08:00:00+02:00", "affected_scope": "subcontractor"})
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["subcontractor_id"] == pilvi.id and body["detected_by"] == "subcontractor"
    notices = IncidentNotice.select().where(IncidentNotice.incident == body["id"])
    assert [notice.controller_id for notice in notices] == [aurora.id]
    assert borealis.id not in [notice.controller_id for notice in notices]


def test_an_incident_closes_only_once_every_controller_is_notified(app, api, issue_token):
    incident = make_incident(controllers=[make_controller()])
    token, user = issue_token("legal", "write")
    url = f"/api/v1/incidents/{incident.id}/close"
    assert api.post(url, token=token).status_code == 428
    waiting = api.post(url, token=token, headers={"If-Match": '"r1"'})
    assert waiting.status_code == 409 and "Notify" in waiting.get_json()["detail"]
    IncidentNotice.update(notified_at=utcnow()).execute()
    assert api.post(url, token=token, headers={"If-Match": '"r9"'}).status_code == 412
    closed = api.post(url, token=token, headers={"If-Match": '"r1"'})
    assert closed.status_code == 200, closed.get_json()
    assert closed.get_json()["closed_at"] is not None and closed.headers["ETag"] == '"r2"'
    assert AuditEvent.get(AuditEvent.action == "incident.closed").actor_id == user.id
    assert api.post(url, token=token, headers={"If-Match": "*"}).status_code == 409
    assert Incident.get_by_id(incident.id).closed_at is not None


def test_a_read_token_may_not_close(app, api, issue_token):
    incident = make_incident()
    token, _user = issue_token("legal", "read")
    response = api.post(f"/api/v1/incidents/{incident.id}/close", token=token,
                        headers={"If-Match": '"r1"'})
    assert response.status_code == 403
    assert Incident.get_by_id(incident.id).closed_at is None
