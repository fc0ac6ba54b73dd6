"""Alerts for hour deadlines: a notice due within 24 h, and overdue, each announced once; the
worker judges them every hour."""

from datetime import UTC, datetime

import pytest

from registry import checks, tasks
from registry.alerts import planner
from registry.models import Alert, IncidentNotice
from tests.factories import make_user
from tests.incidents.factories import make_incident
from tests.registry_factories import make_controller, make_dpa, make_subcontractor

AWARE = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)  # the notice is due 48 h later


@pytest.fixture
def immediate():
    """Run huey tasks in the calling thread, as the consumer would."""
    tasks.huey.immediate = True
    yield tasks.huey
    tasks.huey.immediate = False


@pytest.fixture
def incident(app, clock):
    make_user("legal", email="legal@processor.example")
    controller = make_dpa(make_controller(name="Aurora Kauppa Oy"), breach_notice_hours=48)
    return make_incident([controller.controller], aware_at=AWARE, hours=48)


def _plan_at(*moment):
    now = datetime(*moment, tzinfo=UTC)
    return planner.plan_hourly(checks.current_assessment(now=now), now)


def test_a_notice_is_planned_within_24_hours_and_once_overdue(incident):
    assert _plan_at(2026, 11, 26, 7, 59) == []  # 24 h 1 min before the deadline
    [due] = _plan_at(2026, 11, 26, 8, 0)
    assert due.kind == "incident_notice_due" and due.threshold == 24
    assert due.key.endswith("|2026-11-27T08:00:00Z|24h")
    assert due.details["due_at"] == "2026-11-27T10:00+02:00"
    [overdue] = _plan_at(2026, 11, 27, 8, 0, 1)
    assert overdue.kind == "incident_notice_overdue" and overdue.key.endswith("|overdue")
    assert overdue.family == due.family


def test_a_late_subcontractor_report_is_planned_once(app, clock):
    pilvi = make_subcontractor(name="Pilvi Oy", breach_notice_hours=12)
    make_incident([], aware_at=AWARE, detected_by="subcontractor", subcontractor=pilvi,
                  subcontractor_aware_at=datetime(2026, 11, 24, 8, 0))
    [late] = _plan_at(2026, 11, 25, 9, 0)
    assert late.kind == "incident_subcontractor_late" and late.key.endswith("|new")
    assert [alert.key for alert in _plan_at(2026, 11, 25, 10, 0)] == [late.key]


def test_the_day_plan_leaves_hour_deadlines_to_the_hourly_one(incident):
    assessment = checks.current_assessment(now=datetime(2026, 11, 27, 9, 0, tzinfo=UTC))
    snapshot = checks.current_snapshot(now=datetime(2026, 11, 27, 9, 0, tzinfo=UTC))
    assert not [alert for alert in planner.plan(assessment, snapshot.facts, (60, 30, 7, 0))
                if alert.subject_type == "incident"]


def test_the_worker_announces_each_deadline_once_every_hour(app, incident, clock, smtp_server,
                                                            immediate):
    app.config["ALERT_HOUR"] = 7
    clock.move_to(datetime(2026, 11, 25, 10, 0, tzinfo=UTC))
    tasks.daily_alerts()
    assert smtp_server.messages == []
    clock.move_to(datetime(2026, 11, 26, 9, 0, tzinfo=UTC))  # 23 h to go, 11:00 in Helsinki
    tasks.daily_alerts()
    tasks.daily_alerts()
    [(envelope, message, _auth)] = smtp_server.messages
    assert envelope == ["legal@processor.example"]
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert "notify Aurora Kauppa Oy by 2026-11-27 10:00 EET" in body
    assert f"http://registry.test/incidents/{incident.id}" in body
    clock.move_to(datetime(2026, 11, 27, 5, 0, tzinfo=UTC))  # 07:00: the day's run
    tasks.daily_alerts()
    assert len(smtp_server.messages) == 1
    clock.move_to(datetime(2026, 11, 27, 9, 0, tzinfo=UTC))  # an hour overdue
    tasks.daily_alerts()
    tasks.daily_alerts()
    assert len(smtp_server.messages) == 2
    assert "has not been sent" in smtp_server.messages[1][1].get_body(
        preferencelist=("plain",)).get_content()
    assert Alert.select().where(Alert.subject_type == "incident").count() == 2


def test_a_notice_sent_in_time_raises_no_overdue_alert(app, incident, clock, smtp_server,
                                                       immediate):
    IncidentNotice.update(notified_at=datetime(2026, 11, 26, 12, 0)).execute()
    clock.move_to(datetime(2026, 11, 27, 9, 0, tzinfo=UTC))
    tasks.daily_alerts()
    assert smtp_server.messages == []


def test_alerts_send_takes_an_instant(app, incident, runner, clock):
    result = runner.invoke(args=["alerts", "send", "--dry-run", "--now",
                                 "2026-11-26T12:00+02:00"])
    assert result.exit_code == 0, result.output
    assert "|24h" in result.output
    both = runner.invoke(args=["alerts", "send", "--now", "2026-11-26T12:00+02:00",
                               "--today", "2026-11-26"])
    assert both.exit_code == 2
