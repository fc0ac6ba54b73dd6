"""Parallel uploads: the PDF checks beyond the limits are refused at once (429 for the same
user, 503 when the process is full), nothing is saved for them, and /healthz keeps answering."""

import threading

import pytest

from registry import pdfcheck
from registry.models import Attestation
from tests.auth_helpers import login
from tests.portal.test_upload import day, iso, upload

WAIT = 30  # seconds a test waits for an event that should come at once: a safety net only


class BlockingCheck:
    """Stands in for the PDF parse: says when it started, then waits to be let go."""

    def __init__(self):
        self.started = threading.Semaphore(0)
        self.release = threading.Event()

    def __call__(self, _data, *_args, **_kwargs):
        self.started.release()
        assert self.release.wait(WAIT)
        return 1


@pytest.fixture
def check(app, monkeypatch):
    fake = BlockingCheck()
    monkeypatch.setattr(pdfcheck, "check_pdf", fake)
    app.config.update(PDF_CHECK_CONCURRENCY=1, PDF_CHECKS_PER_USER=1)
    yield fake
    fake.release.set()


def test_uploads_beyond_the_limits_are_refused_at_once(world, make_client, check):
    first, second, _legal = world
    company_a = login(make_client(), first.user)
    company_b = login(make_client(), second.user)
    stored = Attestation.select().count()
    # Dates as text: the thread has no app context to read today from.
    form = {name: day(value) if isinstance(value, int) else value
            for name, value in iso().items()}
    responses = []
    worker = threading.Thread(
        target=lambda: responses.append(upload(company_a, "iso27001", form)))
    worker.start()
    try:
        assert check.started.acquire(timeout=WAIT)
        again = upload(company_a, "iso27001", iso())
        assert again.status_code == 429
        assert again.headers["Retry-After"] == "15"
        assert "You already have one uploaded file being checked" in again.get_data(as_text=True)
        other = upload(company_b, "iso27001", iso())
        assert other.status_code == 503
        assert "The server is busy" in other.get_data(as_text=True)
        assert make_client().get("/healthz").status_code == 200
        assert Attestation.select().count() == stored
    finally:
        check.release.set()
        worker.join(WAIT)
    assert [response.status_code for response in responses] == [302]
    assert Attestation.select().count() == stored + 1
