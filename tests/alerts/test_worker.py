"""The huey jobs: the daily run at ALERT_HOUR local time, retries, the weekly summary."""

import pytest
from huey import RedisHuey, SqliteHuey

from registry import tasks
from registry.models import Alert
from tests.alerts.factories import make_lapsing_registry


@pytest.fixture
def immediate():
    """Run huey tasks in the calling thread, as the consumer would (in-memory storage)."""
    tasks.huey.immediate = True
    yield tasks.huey
    tasks.huey.immediate = False


def test_the_daily_job_sends_at_the_alert_hour_in_helsinki(app, smtp_server, travel, immediate):
    make_lapsing_registry()
    app.config["ALERT_HOUR"] = 7
    travel(2026, 11, 25, 4, 0)  # 06:00 in Helsinki (UTC+2 in winter)
    tasks.daily_alerts()
    assert smtp_server.messages == [] and Alert.select().count() == 0
    travel(2026, 11, 25, 5, 0)  # 07:00 in Helsinki
    tasks.daily_alerts()
    assert len(smtp_server.messages) == 2


def test_other_hours_retry_pending_alerts_without_planning(app, smtp_server, travel, immediate):
    make_lapsing_registry()
    smtp_server.handler.data_replies.append("451 4.3.0 Try later")
    travel(2026, 11, 25, 5, 0)
    tasks.daily_alerts()
    assert len(smtp_server.messages) == 1
    travel(2026, 11, 25, 6, 0)  # 08:00: only the retry of the deferred message
    tasks.daily_alerts()
    assert len(smtp_server.messages) == 2
    assert {alert.status for alert in Alert.select()} == {"sent"}


def test_the_jobs_are_scheduled_hourly_by_huey():
    from datetime import datetime

    def due_at(hour, minute):
        return {task.name for task in tasks.huey.read_periodic(datetime(2026, 11, 30, hour,
                                                                         minute))}

    every_minute = {"mail.deliver_outbox", "reports.run_jobs", "webhooks.deliver"}
    assert due_at(5, 0) == {"alerts.daily"} | every_minute
    assert due_at(17, 5) == {"alerts.weekly_overdue_summary"} | every_minute
    assert due_at(5, 15) == {"housekeeping.purge"} | every_minute
    assert due_at(0, 25) == {"audit.daily_head"} | every_minute
    assert due_at(5, 1) == every_minute


def test_the_weekly_summary_goes_on_monday_once(app, smtp_server, travel, immediate):
    from datetime import date

    make_lapsing_registry(lapses_on=date(2026, 11, 1))
    app.config["ALERT_HOUR"] = 7
    travel(2026, 11, 30, 5, 5)  # Monday 07:05 in Helsinki
    tasks.weekly_overdue_summary()
    tasks.weekly_overdue_summary()
    summaries = [m for _r, m, _a in smtp_server.messages
                 if m["Subject"].startswith("[dpa-registry] Weekly overdue summary")]
    assert len(summaries) == 1
    assert summaries[0]["Subject"] == "[dpa-registry] Weekly overdue summary: 3 expired items"
    text = summaries[0].get_body(("plain",)).get_content()
    assert "DPA v1 with Kauppa Oy expired on 2026-11-01" in text
    travel(2026, 12, 1, 5, 5)  # Tuesday: nothing
    tasks.weekly_overdue_summary()
    assert len([m for _r, m, _a in smtp_server.messages
                if m["Subject"].startswith("[dpa-registry] Weekly")]) == 1


def test_the_queue_follows_queue_url(tmp_path):
    default = tasks.make_huey({})
    assert isinstance(default, SqliteHuey)
    assert default.storage.filename.endswith("huey.sqlite3")
    chosen = tasks.make_huey({"REGISTRY_QUEUE_URL": f"sqlite:///{tmp_path}/q.sqlite3"})
    assert chosen.storage.filename == f"{tmp_path}/q.sqlite3"
    redis = tasks.make_huey({"REGISTRY_QUEUE_URL": "redis://127.0.0.1:6390/2"})
    assert isinstance(redis, RedisHuey)


def test_the_worker_command_runs_the_consumer_with_periodic_jobs(app, monkeypatch, tmp_path):
    started = {}

    class FakeConsumer:
        def run(self):
            started["ran"] = True

    def create_consumer(**options):
        started.update(options)
        return FakeConsumer()

    queue = tasks.make_huey({"REGISTRY_QUEUE_URL": f"sqlite:///{tmp_path}/queue.sqlite3"})
    monkeypatch.setattr(tasks, "huey", queue)
    monkeypatch.setattr(queue, "create_consumer", create_consumer)
    result = app.test_cli_runner().invoke(args=["worker", "--workers", "2"])
    assert result.exit_code == 0, result.output
    assert started == {"workers": 2, "periodic": True, "ran": True}
    assert (tmp_path / "queue.sqlite3").exists()
