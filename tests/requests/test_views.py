"""The request pages: record, deadline and countdown, identify the controller, forward, the
instruction and tasks, close; assistance requests recorded, answered with a PDF."""

import io
import json
from datetime import UTC, date, datetime, timedelta

import pytest

from registry.models import AssistanceRequest, AuditEvent, SubjectRequest
from tests.auth_helpers import csrf_token
from tests.incidents.helpers import form_post, signed_in, text
from tests.registry_factories import make_controller, make_dpa
from tests.requests.factories import make_assistance_request, make_subject_request
from tests.subcontractors.helpers import pdf_file
from tests.test_html_ids import _duplicate_ids


@pytest.fixture
def controllers(app, clock):
    """Aurora's DPA gives 3 working days to forward; Borealis has no DPA."""
    aurora = make_dpa(make_controller(name="Aurora Kauppa Oy"), dsr_forward_days=3).controller
    borealis = make_controller(name="Borealis Oy")
    return aurora, borealis


def request_form(**overrides):
    """Return the fields of a complete "Record a data-subject request" form."""
    return {"received_at": "2026-11-25 09:00", "channel": "email", "request_type": "erasure",
            "controller": "", "subject_reference": "Customer 4711", "details": "", **overrides}


def _record(client, **fields):
    return form_post(client, "/requests/new", request_form(**fields))


def test_the_lists_start_empty_and_invite_staff_to_record(client, clock):
    signed_in(client)
    assert "No data-subject request is recorded." in text(client.get("/requests"))
    assert "No assistance request is recorded." in text(client.get("/requests/assistance"))


def test_recording_sets_the_deadline_from_the_dpa_in_working_days(client, controllers):
    aurora, _ = controllers
    signed_in(client)
    response = _record(client, controller=str(aurora.id))
    assert response.status_code == 302
    row = SubjectRequest.get()
    assert row.reference == "DSR-2026-001" and row.forward_days == 3
    # Wednesday 09:00 Helsinki + 3 working days = Monday 09:00 (07:00 UTC).
    assert row.due_at == datetime(2026, 11, 30, 7, 0)
    page = text(client.get(response.headers["Location"]))
    assert "2026-11-30 09:00 EET" in page and "its DPA: 3 working days" in page
    assert "117 h left" in page  # from 12:30 on Wednesday
    assert AuditEvent.get(AuditEvent.action == "subject_request.recorded")


def test_an_unknown_controller_is_due_in_the_default_days_and_asks_to_identify(
        client, controllers):
    aurora, _ = controllers
    signed_in(client)
    response = _record(client)
    row = SubjectRequest.get()
    assert row.controller_id is None and row.forward_days is None
    assert row.due_at == datetime(2026, 11, 27, 7, 0)  # Friday 09:00 Helsinki
    page = text(client.get(response.headers["Location"]))
    assert "Unknown – identify the controller" in page and "Identify the controller" in page
    assert "identify the controller" in text(client.get("/dashboard"))
    edit = form_post(client, f"/requests/{row.id}/edit",
                     request_form(controller=str(aurora.id), row_version=str(row.row_version)))
    assert edit.status_code == 302
    row = SubjectRequest.get()
    assert row.controller_id == aurora.id and row.due_at == datetime(2026, 11, 30, 7, 0)


def test_the_form_explains_what_is_wrong(client, controllers):
    signed_in(client)
    response = _record(client, received_at="2026-11-26 09:00", subject_reference="",
                       controller="99999")
    page = text(response)
    assert response.status_code == 400
    assert "The time it arrived cannot be in the future." in page
    assert "Enter a reference that lets the controller find the person." in page
    assert "Choose a controller from the list" in page
    assert "Record no more personal data than you need" in page
    assert SubjectRequest.select().count() == 0


def test_the_dashboard_counts_down_and_turns_red(client, controllers, clock):
    aurora, _ = controllers
    make_subject_request(aurora, received_at=datetime(2026, 11, 23, 10, 45, tzinfo=UTC))
    signed_in(client)
    page = text(client.get("/dashboard"))
    assert "Requests due" in page and "forward to" in page and "1 h left" in page
    clock.advance(timedelta(minutes=20))
    page = text(client.get("/dashboard"))
    assert "overdue by 1 h" in page and "Data-subject and assistance requests" in page


def test_instruction_tasks_and_closing(client, controllers):
    aurora, _ = controllers
    row = make_subject_request(aurora, forwarded_at=datetime(2026, 11, 25, 9, 0),
                               forwarded_to=["privacy@aurora.example"])
    signed_in(client)
    url = f"/requests/{row.id}"
    saved = form_post(client, f"{url}/handling",
                      {"instruction": "Erase the account", "assistance_tasks": "Erased – done",
                       "row_version": str(row.row_version)}, page_url=url)
    assert saved.status_code == 302
    assert SubjectRequest.get().instruction == "Erase the account"
    closed = form_post(client, f"{url}/close", {"row_version": str(row.row_version + 1)},
                       page_url=url)
    assert closed.status_code == 302 and SubjectRequest.get().closed_at is not None
    assert "Closed" in text(client.get(url))
    events = [e.action for e in AuditEvent.select().order_by(AuditEvent.id)]
    assert events[-2:] == ["subject_request.handling_recorded", "subject_request.closed"]


def test_a_request_not_forwarded_cannot_be_closed(client, controllers):
    aurora, _ = controllers
    row = make_subject_request(aurora)
    signed_in(client)
    url = f"/requests/{row.id}"
    response = form_post(client, f"{url}/close", {"row_version": str(row.row_version)},
                         page_url=url, follow_redirects=True)
    assert "Forward the request to its controller first" in text(response)
    assert SubjectRequest.get().closed_at is None


def test_list_filters_and_pages(client, controllers):
    aurora, borealis = controllers
    for _ in range(26):
        make_subject_request(aurora)
    make_subject_request(None, request_type="erasure", subject_reference="Unknown person")
    signed_in(client)
    first = text(client.get("/requests"))
    assert "Page 1 of 2" in first
    unknown = text(client.get("/requests?controller=0"))
    assert "Unknown person" not in unknown and "DSR-TEST" in unknown
    assert "Customer 1" not in text(client.get(f"/requests?controller={borealis.id}"))
    assert "No request matches these filters." in text(
        client.get(f"/requests?controller={borealis.id}"))


def test_an_auditor_reads_but_changes_nothing(client, controllers):
    aurora, _ = controllers
    row = make_subject_request(aurora)
    signed_in(client, role="auditor")
    page = text(client.get(f"/requests/{row.id}"))
    assert "Forward the request" not in page and "Record a request" not in text(
        client.get("/requests"))
    assert client.get("/requests/new").status_code == 403


def test_an_assistance_request_is_recorded_and_answered_with_a_pdf(client, controllers):
    aurora, _ = controllers
    signed_in(client)
    response = form_post(client, "/requests/assistance/new", {
        "kind": "audit", "controller": str(aurora.id), "received_on": "2026-11-20",
        "due_on": "2026-11-19", "summary": "On-site audit of the warehouse systems"})
    assert response.status_code == 400
    assert "The due date cannot be before the day it was received." in text(response)
    response = form_post(client, "/requests/assistance/new", {
        "kind": "audit", "controller": str(aurora.id), "received_on": "2026-11-20",
        "due_on": "2026-12-04", "summary": "On-site audit of the warehouse systems"})
    assert response.status_code == 302
    row = AssistanceRequest.get()
    assert row.reference == "AR-2026-001"
    url = f"/requests/assistance/{row.id}"
    assert "To answer" in text(client.get(url))
    page = client.get(url)
    answered = client.post(f"{url}/answer", data={
        "csrf_token": csrf_token(text(page)), "answered_on": "2026-11-24",
        "answer": "Audit agreed for 2026-12-10", "row_version": str(row.row_version),
        "document": pdf_file("audit-plan.pdf")}, content_type="multipart/form-data")
    assert answered.status_code == 302
    row = AssistanceRequest.get()
    assert row.answered_on == date(2026, 11, 24) and row.answer_document_id is not None
    download = client.get(f"{url}/document")
    assert download.status_code == 200 and download.data.startswith(b"%PDF")
    event = AuditEvent.get(AuditEvent.action == "assistance_request.answered")
    assert json.loads(event.details)["after"]["answered_on"] == "2026-11-24"


def test_an_answer_document_must_be_a_real_pdf(client, controllers):
    aurora, _ = controllers
    row = make_assistance_request(aurora)
    signed_in(client)
    url = f"/requests/assistance/{row.id}"
    response = client.post(f"{url}/answer", data={
        "csrf_token": csrf_token(text(client.get(url))), "answered_on": "2026-11-24",
        "answer": "Sent", "row_version": str(row.row_version),
        "document": (io.BytesIO(b"not a pdf"), "answer.pdf")},
        content_type="multipart/form-data")
    assert response.status_code == 400
    assert AssistanceRequest.get().answered_on is None


def test_an_overdue_assistance_request_is_red_on_the_dashboard(client, controllers, clock):
    aurora, _ = controllers
    make_assistance_request(aurora, due_on=date(2026, 11, 24))
    signed_in(client)
    page = text(client.get("/dashboard"))
    assert "Requests due" in page and "Overdue" in page and "answer" in page


def test_the_controller_page_lists_its_requests(client, controllers):
    aurora, borealis = controllers
    make_subject_request(aurora, reference="DSR-2026-009", request_type="portability")
    make_assistance_request(aurora, reference="AR-2026-004", kind="prior_consultation")
    make_assistance_request(borealis, reference="AR-2026-005")
    signed_in(client)
    page = text(client.get(f"/controllers/{aurora.id}"))
    assert "DSR-2026-009" in page and "Portability request" in page
    assert "AR-2026-004" in page and "Prior consultation" in page and "AR-2026-005" not in page
    assert "No request from this controller" in text(client.get(
        f"/controllers/{make_controller(name='Cirrus Oy').id}"))


def test_a_controller_without_a_dpa_gets_the_default_and_a_stale_form_is_refused(
        client, controllers):
    _aurora, borealis = controllers
    signed_in(client)
    _record(client, controller=str(borealis.id))
    row = SubjectRequest.get()
    assert row.forward_days is None and row.due_at == datetime(2026, 11, 27, 7, 0)
    assert "no DPA was in force when it arrived" in text(client.get(f"/requests/{row.id}"))
    url = f"/requests/{row.id}/edit"
    fresh = form_post(client, url, request_form(controller=str(borealis.id), channel="letter",
                                                 row_version=str(row.row_version)))
    assert fresh.status_code == 302
    stale = form_post(client, url, request_form(controller=str(borealis.id), channel="phone",
                                                 row_version=str(row.row_version)))
    assert stale.status_code == 400 and "changed by someone else" in text(stale)
    assert SubjectRequest.get().channel == "letter"


def test_an_assistance_request_is_corrected_until_answered(client, controllers):
    aurora, borealis = controllers
    row = make_assistance_request(aurora)
    signed_in(client)
    url = f"/requests/assistance/{row.id}/edit"
    response = form_post(client, url, {
        "kind": "security_information", "controller": str(borealis.id),
        "received_on": "2026-11-20", "due_on": "2026-12-02", "summary": "Our questionnaire",
        "row_version": str(row.row_version)})
    assert response.status_code == 302
    row = AssistanceRequest.get()
    assert (row.kind, row.controller_id, row.due_on) == (
        "security_information", borealis.id, date(2026, 12, 2))
    event = AuditEvent.get(AuditEvent.action == "assistance_request.updated")
    assert json.loads(event.details)["after"]["due_on"] == "2026-12-02"
    AssistanceRequest.update(answered_on=date(2026, 11, 24)).execute()
    page = text(client.get(f"/requests/assistance/{row.id}"))
    assert "Correct the request" not in page and "Answered" in page


def test_the_deadline_uses_the_dpa_in_force_on_the_day_it_arrived(client, app, clock):
    """A DPA signed after the request arrived does not set its deadline; the one before does."""
    aurora = make_controller(name="Aurora Kauppa Oy")
    make_dpa(aurora, dsr_forward_days=5, signed_on=date(2026, 1, 5),
             effective_from=date(2026, 1, 5))
    make_dpa(aurora, version=2, dsr_forward_days=1, signed_on=date(2026, 11, 24),
             effective_from=date(2026, 11, 24))
    signed_in(client)
    form_post(client, "/requests/new", request_form(received_at="2026-11-23 09:00",
                                                    controller=str(aurora.id)))
    form_post(client, "/requests/new", request_form(received_at="2026-11-25 09:00",
                                                    controller=str(aurora.id)))
    rows = list(SubjectRequest.select().order_by(SubjectRequest.received_at))
    assert [row.forward_days for row in rows] == [5, 1]
    assert rows[0].due_at == datetime(2026, 11, 30, 7, 0)  # Monday + 5 working days
    assert rows[1].due_at == datetime(2026, 11, 26, 7, 0)


def test_the_request_pages_keep_element_ids_unique(client, controllers):
    aurora, _ = controllers
    forwarded = make_subject_request(aurora, forwarded_at=datetime(2026, 11, 25, 9, 0))
    waiting = make_subject_request(aurora)
    assistance = make_assistance_request(aurora)
    signed_in(client)
    for url in (f"/requests/{forwarded.id}", f"/requests/{waiting.id}",
                f"/requests/assistance/{assistance.id}", "/requests", "/requests/assistance"):
        assert _duplicate_ids(text(client.get(url))) == [], url


def test_an_answered_request_is_not_answered_twice(client, controllers):
    aurora, _ = controllers
    row = make_assistance_request(aurora, answered_on=date(2026, 11, 24), answer="Sent")
    signed_in(client)
    url = f"/requests/assistance/{row.id}"
    response = client.post(f"{url}/answer", data={
        "csrf_token": csrf_token(text(client.get(url))), "answered_on": "2026-11-25",
        "answer": "Again", "row_version": str(row.row_version)}, follow_redirects=True)
    assert "This request is answered already." in text(response)
    assert AssistanceRequest.get().answer == "Sent"
