"""Report downloads beyond the limits are refused at once (429 / 503 with Retry-After), while
the server keeps answering: a blocked rendering holds one thread, never all of them."""

import threading

import pytest

from registry.reports import views
from registry.reports.render import GeneratedReport
from tests.auth_helpers import login
from tests.factories import make_user
from tests.registry_factories import make_controller

WAIT = 30  # seconds a test waits for an event that should come at once: a safety net only


class BlockingRenderer:
    """Stands in for generate_report: says when it started, then waits to be let go."""

    def __init__(self):
        self.started = threading.Semaphore(0)
        self.release = threading.Event()

    def __call__(self, *_args, **_kwargs):
        self.started.release()
        assert self.release.wait(WAIT)
        return GeneratedReport("dpa-register.pdf", b"%PDF-1.7 rendered")


@pytest.fixture
def renderer(app, monkeypatch):
    fake = BlockingRenderer()
    monkeypatch.setattr(views, "generate_report", fake)
    app.config.update(REPORT_CONCURRENCY=1, REPORTS_PER_USER=1)
    yield fake
    fake.release.set()


def _download(client, controller):
    return client.get("/reports/download",
                      query_string={"kind": "dpa-register", "controller_id": controller.id})


def test_a_second_report_is_refused_at_once_and_healthz_answers(app, make_client, renderer):
    controller = make_controller()
    first = login(make_client(), make_user("legal"))
    other = login(make_client(), make_user("auditor"))
    responses = []
    worker = threading.Thread(target=lambda: responses.append(_download(first, controller)))
    worker.start()
    try:
        assert renderer.started.acquire(timeout=WAIT)
        same_user = _download(first, controller)
        assert same_user.status_code == 429
        assert same_user.headers["Retry-After"] == "30"
        assert "You already have one report being made" in same_user.get_data(as_text=True)
        busy = _download(other, controller)
        assert busy.status_code == 503
        assert busy.headers["Retry-After"] == "30"
        assert "The server is busy" in busy.get_data(as_text=True)
        assert make_client().get("/healthz").status_code == 200
    finally:
        renderer.release.set()
        worker.join(WAIT)
    assert [response.status_code for response in responses] == [200]
    # The slot was given back: the next report is made.
    assert _download(other, controller).status_code == 200


def test_a_json_client_is_told_why_in_json(app, make_client, renderer):
    controller = make_controller()
    user = make_user("legal")
    first = login(make_client(), user)
    worker = threading.Thread(target=_download, args=(first, controller))
    worker.start()
    try:
        assert renderer.started.acquire(timeout=WAIT)
        refused = first.get("/reports/download", headers={"Accept": "application/json"},
                            query_string={"kind": "dpa-register", "controller_id": controller.id})
        assert refused.status_code == 429
        assert refused.get_json()["reason"] == "report"
        assert refused.get_json()["retry_after"] == 30
    finally:
        renderer.release.set()
        worker.join(WAIT)
