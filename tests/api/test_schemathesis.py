"""Schemathesis against the served OpenAPI document, the app served on loopback by a thread of
this process: Schemathesis' engine (what `schemathesis run` drives) with every phase -
examples, coverage, fuzzing, and the stateful run along the document's links - positive and
negative data, and every check enabled.

Expected statuses beyond Schemathesis' defaults, and why:
- positive data may get 400, 412 and 422: a cursor is opaque, and one of the right shape that
  this API did not give out is a 400; an If-Match of the right shape names some other version
  (412 is the right answer); and the web form's rules that JSON Schema cannot state (a Finnish
  business id's check digit, an end date required for an ended controller) give 422;
- a missing required header (If-Match) gets 428 Precondition Required (RFC 6585), which is
  what that status exists for.
"""

import json
import threading

import pytest
import schemathesis
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import Status, events
from werkzeug.serving import WSGIRequestHandler, make_server

from registry.api import tokens
from tests.api.seed import seed_registry
from tests.factories import make_user

CONFIG = """
headers = {{ Authorization = {authorization} }}

[generation]
mode = "all"
max-examples = {examples}

[phases.examples]
enabled = true
[phases.coverage]
enabled = true
[phases.fuzzing]
enabled = true
[phases.stateful]
enabled = true
max-steps = 8

[checks]
enabled = true

[checks.positive_data_acceptance]
expected-statuses = ["2xx", "3xx", "400", "401", "403", "404", "409", "412", "422"]

[checks.missing_required_header]
expected-statuses = ["400", "401", "403", "406", "415", "422", "428"]
"""
EXAMPLES = 10


class QuietHandler(WSGIRequestHandler):
    """Log nothing per request (Schemathesis sends thousands)."""

    def log_request(self, *args, **kwargs):
        pass


@pytest.fixture
def served(app):
    """Serve the app on a free loopback port; yield its base address."""
    server = make_server("127.0.0.1", 0, app, threaded=False,
                         request_handler=QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="api-under-test", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


def _failed_checks(event):
    found = [f"{event.label}: {check.name}: {check.failure_info.failure.title} - "
             f"{check.failure_info.failure.message[:300]}"
             for checks in event.recorder.checks.values() for check in checks
             if check.status is Status.FAILURE and check.failure_info is not None]
    return found or [f"{event.label}: {event.status}"]


def _run(base, token):
    config = SchemathesisConfig.from_str(CONFIG.format(
        authorization=json.dumps(f"Bearer {token}"), examples=EXAMPLES))
    schema = schemathesis.openapi.from_url(f"{base}/api/v1/openapi.json", config=config)
    problems, scenarios = [], 0
    for event in schemathesis.engine.from_schema(schema).execute():
        if isinstance(event, events.FatalError):
            raise event.exception
        if isinstance(event, events.NonFatalError):
            problems.append(f"{event.label}: {event.info.message}")
        if isinstance(event, events.ScenarioFinished):
            scenarios += 1
            if event.status in (Status.FAILURE, Status.ERROR):
                problems.extend(_failed_checks(event))
        if isinstance(event, events.EngineFinished):
            problems.extend(f"{failure.title}: {failure.message}" for failure in event.failures)
    return problems, scenarios


def test_schemathesis_finds_no_failure(app, served):
    seed_registry()
    token = tokens.issue(make_user("admin"), "schemathesis", "write").secret
    problems, scenarios = _run(served, token)
    assert scenarios > 20
    assert problems == [], "\n".join(problems[:40])
