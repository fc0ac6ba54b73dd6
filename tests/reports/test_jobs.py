"""Whole-registry reports made in the background: requested on the web, made by the runner,
stored in the database, seen only by the requester and admins, and deleted when they expire."""

import threading
from datetime import date, timedelta

import pytest

from registry import tasks
from registry.models import AuditEvent, Document, ReportJob
from registry.reports import jobs
from registry.reports.background import ReportThread, making_reports
from registry.reports.limits import ReportError
from registry.reports.render import GeneratedReport
from tests.auth_helpers import csrf_token, login
from tests.factories import make_user
from tests.reports.factories import build_registry, read_pdf

AS_OF = date(2026, 11, 25)


@pytest.fixture
def big(app):
    """A registry over the web limit: whole-registry reports are offered in the background."""
    app.config["REPORT_WEB_MAX_ROWS"] = 3
    app.config["REPORT_JOBS"] = "serve"  # no thread runs in tests: they call the runner
    return build_registry()


def _request(client, kind="dpa-register", today="2026-11-25"):
    page = client.get("/reports/download", query_string={"kind": kind, "today": today})
    assert page.status_code == 400
    html = page.get_data(as_text=True)
    assert "Make it in the background" in html
    return client.post("/reports/jobs", data={"kind": kind, "today": today,
                                              "csrf_token": csrf_token(html[html.index(
                                                  'action="/reports/jobs"'):])})


def test_a_requested_report_is_made_in_the_background_and_downloaded(app, client, big):
    user = make_user("legal")
    login(client, user)
    response = _request(client)
    assert response.status_code == 302
    job = ReportJob.get()
    assert response.headers["Location"].endswith(f"/reports/jobs/{job.id}")
    assert (job.status, job.requested_by_id, job.kind) == ("queued", user.id, "dpa-register")
    waiting = client.get(f"/reports/jobs/{job.id}").get_data(as_text=True)
    assert "Waiting to start" in waiting and 'http-equiv="refresh"' in waiting

    assert jobs.run_queued() == 1

    job = ReportJob.get_by_id(job.id)
    assert job.status == "done" and job.progress.startswith("Done: ")
    done = client.get(f"/reports/jobs/{job.id}").get_data(as_text=True)
    assert "Download PDF" in done and 'http-equiv="refresh"' not in done
    download = client.get(f"/reports/jobs/{job.id}/download")
    assert download.status_code == 200
    assert download.mimetype == "application/pdf"
    assert "Hämeen Urheiluseura ry" in read_pdf(download.data)[1]
    actions = [event.action for event in AuditEvent.select().order_by(AuditEvent.id)]
    assert [action for action in actions if action.startswith("report.")] == [
        "report.requested", "report.generated", "report.downloaded"]


def test_only_the_requester_and_admins_see_a_job(app, make_client, big):
    owner = login(make_client(), make_user("legal"))
    assert _request(owner).status_code == 302
    job = ReportJob.get()
    jobs.run_queued()
    stranger = login(make_client(), make_user("auditor"))
    assert stranger.get(f"/reports/jobs/{job.id}").status_code == 404
    assert stranger.get(f"/reports/jobs/{job.id}/download").status_code == 404
    assert "No background reports" in stranger.get("/reports/jobs").get_data(as_text=True)
    admin = login(make_client(), make_user("admin"))
    assert admin.get(f"/reports/jobs/{job.id}/download").status_code == 200
    listed = admin.get("/reports/jobs").get_data(as_text=True)
    assert "DPA register" in listed
    subcontractor = login(make_client(), make_user("subcontractor"))
    assert subcontractor.get(f"/reports/jobs/{job.id}").status_code == 403


def test_a_report_that_cannot_be_made_fails_with_the_reason(app, client, big, monkeypatch):
    def too_big(*_args, **_kwargs):
        raise ReportError("the report needs more than the 4096 MB memory limit")

    monkeypatch.setattr("registry.reports.render.generate_report", too_big)
    login(client, make_user("legal"))
    _request(client)
    jobs.run_queued()
    job = ReportJob.get()
    assert job.status == "failed"
    page = client.get(f"/reports/jobs/{job.id}").get_data(as_text=True)
    assert "The report could not be made: the report needs more than the 4096 MB" in page
    assert client.get(f"/reports/jobs/{job.id}/download").status_code == 404


def test_a_job_is_made_once_even_when_two_runners_look(app, big, monkeypatch):
    user = make_user("legal")
    job = jobs.request_job("dpa-register", AS_OF, user)
    first = jobs.claim_next()
    assert first.id == job.id
    assert jobs.claim_next() is None


def test_a_user_may_have_a_few_jobs_waiting_not_more(app, big):
    user = make_user("legal")
    for _ in range(jobs.MAX_PENDING_PER_USER):
        jobs.request_job("compliance", AS_OF, user)
    with pytest.raises(jobs.JobRefused, match="already have 3 reports waiting"):
        jobs.request_job("compliance", AS_OF, user)


def test_a_per_controller_report_cannot_be_queued(app, client, big):
    login(client, make_user("legal"))
    page = client.get("/reports").get_data(as_text=True)
    response = client.post("/reports/jobs", data={"kind": "subprocessors",
                                                  "csrf_token": csrf_token(page)})
    assert response.status_code == 302
    assert ReportJob.select().count() == 0


def test_expired_jobs_are_deleted_with_their_pdf_and_abandoned_ones_fail(app, big, clock,
                                                                         monkeypatch):
    monkeypatch.setattr("registry.reports.render.generate_report", lambda *args, **kwargs:
                        GeneratedReport("dpa-register-all-2026-11-25.pdf", _tiny_pdf()))
    user = make_user("legal")
    done = jobs.request_job("dpa-register", AS_OF, user)
    jobs.run_queued()
    documents = Document.select().count()
    abandoned = jobs.request_job("dpa-register", AS_OF, user)
    jobs.claim_next()
    clock.advance(timedelta(hours=1))
    assert jobs.sweep() == (1, 0)
    assert ReportJob.get_by_id(abandoned.id).status == "failed"
    clock.advance(timedelta(days=app.config["REPORT_JOB_DAYS"]))
    assert jobs.sweep() == (0, 2)
    assert not ReportJob.select().where(ReportJob.id.in_([done.id, abandoned.id])).exists()
    assert Document.select().count() == documents - 1


def _tiny_pdf():
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.fixture
def quick_reports(monkeypatch):
    """Reports made at once (a one-page PDF), and an event set when a job is finished."""
    monkeypatch.setattr("registry.reports.render.generate_report", lambda *args, **kwargs:
                        GeneratedReport("dpa-register-all-2026-11-25.pdf", _tiny_pdf()))
    finished = threading.Event()
    original = jobs.run

    def run_and_tell(job):
        original(job)
        finished.set()

    monkeypatch.setattr(jobs, "run", run_and_tell)
    return finished


def test_the_serve_thread_makes_what_a_request_queued(app, client, big, quick_reports):
    login(client, make_user("legal"))
    # A long interval: only the request's kick can make the thread start within the wait.
    runner = ReportThread(app, interval=3600).start()
    try:
        assert _request(client).status_code == 302
        assert quick_reports.wait(30), "the thread did not make the report"
    finally:
        runner.stop(timeout=30)
    assert ReportJob.get().status == "done"
    assert jobs.RUNNER not in app.extensions


def test_with_report_jobs_worker_the_worker_makes_them(app, client, big, quick_reports):
    app.config["REPORT_JOBS"] = "worker"
    with making_reports(app) as runner:
        assert runner is None and jobs.RUNNER not in app.extensions
    login(client, make_user("legal"))
    tasks.huey.immediate = True  # the kick runs the worker's task here and now
    try:
        assert _request(client).status_code == 302
    finally:
        tasks.huey.immediate = False
    assert quick_reports.is_set()
    assert ReportJob.get().status == "done"
