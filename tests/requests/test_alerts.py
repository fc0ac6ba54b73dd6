"""Alerts for requests: forwarding a data-subject request (hour deadline) within 24 h and
overdue, each once, from the worker's hourly run; an assistance request the day before it is
due and once overdue, from the day's run."""

from datetime import UTC, date, datetime

import pytest

from registry import checks, tasks
from registry.alerts import planner
from registry.models import Alert
from tests.factories import make_user
from tests.registry_factories import make_controller, make_dpa
from tests.requests.factories import make_assistance_request, make_subject_request

# Wednesday 10:00 in Helsinki; with 2 working days it is due on Friday 10:00 (08:00 UTC).
RECEIVED = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)


@pytest.fixture
def immediate():
    """Run huey tasks in the calling thread, as the consumer would."""
    tasks.huey.immediate = True
    yield tasks.huey
    tasks.huey.immediate = False


@pytest.fixture
def aurora(app, clock):
    make_user("legal", email="legal@processor.example")
    return make_dpa(make_controller(name="Aurora Kauppa Oy")).controller


def _plan_at(*moment):
    now = datetime(*moment, tzinfo=UTC)
    return planner.plan_hourly(checks.current_assessment(now=now), now)


def test_forwarding_is_planned_within_24_hours_and_once_overdue(aurora):
    request = make_subject_request(aurora, received_at=RECEIVED)
    assert _plan_at(2026, 11, 26, 7, 59) == []
    [due] = _plan_at(2026, 11, 26, 8, 0)
    assert (due.kind, due.threshold, due.subject_type) == (
        "subject_request_due", 24, "subject_request")
    assert due.key == (f"legal|subject_request:{request.id}|forward|2026-11-27T08:00:00Z|24h")
    [overdue] = _plan_at(2026, 11, 27, 8, 0, 1)
    assert overdue.kind == "subject_request_overdue" and overdue.family == due.family


def test_the_worker_announces_a_request_once_every_hour(app, aurora, clock, smtp_server,
                                                        immediate):
    app.config["ALERT_HOUR"] = 7
    request = make_subject_request(None, received_at=RECEIVED)
    clock.move_to(datetime(2026, 11, 26, 9, 0, tzinfo=UTC))
    tasks.daily_alerts()
    tasks.daily_alerts()
    [(envelope, message, _auth)] = smtp_server.messages
    assert envelope == ["legal@processor.example"]
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert "identify the controller of access request" in body
    assert f"http://registry.test/requests/{request.id}" in body
    clock.move_to(datetime(2026, 11, 27, 9, 0, tzinfo=UTC))
    tasks.daily_alerts()
    tasks.daily_alerts()
    assert len(smtp_server.messages) == 2
    assert Alert.select().where(Alert.subject_type == "subject_request").count() == 2


def test_an_assistance_request_is_announced_the_day_before_and_once_overdue(aurora):
    request = make_assistance_request(aurora, due_on=date(2026, 11, 30))

    def plan_on(day):
        snapshot = checks.current_snapshot(today=day)
        return [alert for alert in planner.plan(snapshot.assessment, snapshot.facts,
                                                (60, 30, 7, 0))
                if alert.subject_type == "assistance_request"]

    assert plan_on(date(2026, 11, 28)) == []
    [soon] = plan_on(date(2026, 11, 29))
    assert soon.kind == "assistance_due" and soon.key.endswith("|2026-11-30|1")
    assert [alert.key for alert in plan_on(date(2026, 11, 30))] == [soon.key]
    [overdue] = plan_on(date(2026, 12, 1))
    assert overdue.kind == "assistance_overdue" and overdue.subject_id == request.id
