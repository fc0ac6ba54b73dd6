"""The incident pages: record, deadlines per controller with countdowns, correct, close."""

import json
from datetime import UTC, datetime, timedelta

import pytest

from registry.models import AuditEvent, Incident, IncidentMessage, IncidentNotice
from tests.incidents.factories import make_incident
from tests.incidents.helpers import form_post, incident_form, signed_in, text
from tests.registry_factories import make_controller, make_dpa, make_engagement, make_subcontractor


@pytest.fixture
def controllers(app, clock):
    """Two controllers: Aurora's DPA promises 24 hours, Borealis's sets none."""
    aurora = make_dpa(make_controller(name="Aurora Kauppa Oy"), breach_notice_hours=24).controller
    borealis = make_dpa(make_controller(name="Borealis Oy"), breach_notice_hours=None).controller
    return aurora, borealis


def _record(client, **fields):
    return form_post(client, "/incidents/new", incident_form(**fields))


def test_the_register_starts_empty_and_invites_staff_to_record(client, clock):
    signed_in(client)
    page = text(client.get("/incidents"))
    assert "No incident is recorded." in page and "Record an incident" in page


def test_recording_sets_each_controllers_deadline_from_its_dpa(app, client, controllers):
    aurora, borealis = controllers
    app.config["BREACH_NOTICE_DEFAULT_HOURS"] = 36
    signed_in(client)
    response = _record(client, controllers=[str(aurora.id), str(borealis.id)])
    assert response.status_code == 302
    incident = Incident.get()
    assert incident.reference == "INC-2026-001"
    assert incident.aware_at == datetime(2026, 11, 25, 7, 0)  # 09:00 in Helsinki, stored UTC
    due = {notice.controller_id: (notice.breach_notice_hours, notice.due_at)
           for notice in incident.notices}
    assert due == {aurora.id: (24, datetime(2026, 11, 26, 7, 0)),
                   borealis.id: (None, datetime(2026, 11, 26, 19, 0))}
    event = AuditEvent.get(AuditEvent.action == "incident.recorded")
    assert json.loads(event.details)["controllers"] == sorted([aurora.id, borealis.id])
    page = text(client.get(response.headers["Location"]))
    assert "Incident INC-2026-001 is recorded." in page
    assert "2026-11-26 09:00 EET" in page and "its DPA: 24 h" in page
    assert "without undue delay, Art. 33(2) (36 h by default" in page
    assert "21 h left" in page  # at 12:30 Helsinki, 20 h 30 min before 09:00 tomorrow


def test_the_dashboard_counts_down_to_each_notice(client, controllers, clock):
    aurora, _ = controllers
    # Due at 10:45 UTC; the clock shows 10:30.
    make_incident([aurora], aware_at=datetime(2026, 11, 24, 22, 45, tzinfo=UTC), hours=12)
    signed_in(client)
    page = text(client.get("/dashboard"))
    assert "Breach notices due" in page and "Aurora Kauppa Oy" in page
    assert "1 h left" in page and "2026-11-25 12:45 EET" in page
    clock.advance(timedelta(minutes=20))
    page = text(client.get("/dashboard"))
    assert "overdue by 1 h" in page
    assert "Incidents (breach notices)" in page


def test_the_form_explains_what_is_wrong(client, controllers):
    signed_in(client)
    future = _record(client, aware_at="2026-11-26 09:00", controllers=[])
    page = text(future)
    assert future.status_code == 400
    assert "The time you became aware cannot be in the future." in page
    assert "Choose at least one affected controller" in page
    skipped = text(_record(client, aware_at="2026-03-29 03:30"))
    assert "03:30 did not happen on 2026-03-29 in Europe/Helsinki" in skipped
    report = text(_record(client, detected_by="subcontractor", subcontractor="",
                          controllers=[]))
    assert "Choose the subcontractor." in report
    assert Incident.select().count() == 0


def test_a_subcontractor_report_affects_every_controller_whose_data_it_processes(
        client, controllers):
    aurora, borealis = controllers
    pilvi = make_subcontractor(name="Pilvi Oy", breach_notice_hours=24)
    make_engagement(pilvi, aurora)
    signed_in(client)
    response = _record(client, detected_by="subcontractor", subcontractor=str(pilvi.id),
                       subcontractor_aware_at="2026-11-23 08:00", affected_scope="subcontractor")
    assert response.status_code == 302, text(response)
    incident = Incident.get()
    assert [notice.controller_id for notice in incident.notices] == [aurora.id]
    page = text(client.get(response.headers["Location"]))
    assert "Pilvi Oy reported this 49.0 h after becoming aware of it" in page
    assert "it promises to report within 24 h" in page


def test_correcting_the_awareness_time_moves_the_deadlines(client, controllers):
    aurora, _ = controllers
    incident = make_incident([aurora], aware_at=datetime(2026, 11, 25, 7, 0, tzinfo=UTC),
                             hours=24)
    signed_in(client)
    url = f"/incidents/{incident.id}/edit"
    fields = incident_form(aware_at="2026-11-25 06:00", row_version=str(incident.row_version))
    for name in ("detected_by", "affected_scope"):
        fields.pop(name)
    assert form_post(client, url, fields).status_code == 302
    notice = IncidentNotice.get()
    assert notice.due_at == datetime(2026, 11, 26, 4, 0)
    stale = text(form_post(client, url, dict(fields, title="Other")))
    assert "was changed by someone else" in stale
    assert Incident.get().title == fields["title"]


def test_an_incident_closes_only_once_every_controller_is_notified(client, controllers):
    aurora, _ = controllers
    incident = make_incident([aurora], aware_at=datetime(2026, 11, 25, 7, 0, tzinfo=UTC))
    signed_in(client)
    url = f"/incidents/{incident.id}"
    close = {"row_version": str(incident.row_version)}
    page = text(client.get(form_post(client, f"{url}/close", close, page_url=url)
                           .headers["Location"]))
    assert "Notify Aurora Kauppa Oy first" in page
    IncidentNotice.update(notified_at=datetime(2026, 11, 25, 9, 0)).execute()
    page = text(client.get(url))
    assert "Close the incident" in page and "stays in the register" in page
    response = form_post(client, f"{url}/close", close, page_url=url)
    assert "is closed. It stays in the register." in text(client.get(response.headers["Location"]))
    assert Incident.get().closed_at is not None


def test_auditors_read_the_register_and_the_incident_but_see_no_actions(client, controllers):
    aurora, _ = controllers
    incident = make_incident([aurora], aware_at=datetime(2026, 11, 25, 7, 0, tzinfo=UTC))
    signed_in(client, role="auditor")
    register = text(client.get("/incidents"))
    assert incident.reference in register and "Record an incident" not in register
    page = text(client.get(f"/incidents/{incident.id}"))
    assert "Aurora Kauppa Oy" in page
    assert "Send the notice" not in page and "Correct the facts" not in page
    assert client.post(f"/incidents/{incident.id}/notify").status_code == 403


def test_the_register_filters_by_controller_and_pages(client, controllers):
    aurora, borealis = controllers
    for _ in range(26):
        make_incident([aurora], aware_at=datetime(2026, 11, 1, 7, 0, tzinfo=UTC))
    only_borealis = make_incident([borealis], title="Borealis leak",
                                  aware_at=datetime(2026, 11, 2, 7, 0, tzinfo=UTC))
    signed_in(client)
    filtered = text(client.get(f"/incidents?controller={borealis.id}"))
    assert "Borealis leak" in filtered and "Incidents <span class=\"muted\">(1)" in filtered
    first = text(client.get("/incidents"))
    assert "Page 1 of 2" in first and only_borealis.reference in first
    assert "Page 2 of 2" in text(client.get("/incidents?page=2"))
    closed = text(client.get("/incidents?status=closed"))
    assert "No incident matches these filters." in closed


def test_sending_twice_queues_one_message(client, controllers, queue):
    aurora, _ = controllers
    incident = make_incident([aurora], aware_at=datetime(2026, 11, 25, 7, 0, tzinfo=UTC))
    signed_in(client)
    url = f"/incidents/{incident.id}"
    form_post(client, f"{url}/notify", {}, page_url=url)
    again = form_post(client, f"{url}/notify", {}, page_url=url)
    assert "notified already, or the notice is on its way" in text(
        client.get(again.headers["Location"]))
    assert IncidentMessage.select().count() == 1
