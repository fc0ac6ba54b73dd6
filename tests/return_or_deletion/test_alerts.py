"""Alerts: each holder's item is announced to legal staff as its due day nears, and once overdue."""

from datetime import date

from registry import checks
from registry.alerts import planner
from registry.models import Alert
from tests.factories import make_user


def _plan(app, today):
    snapshot = checks.current_snapshot(today=today)
    return [alert for alert in planner.plan(snapshot.assessment, snapshot.facts,
                                            app.config["ALERT_DAYS"])
            if alert.kind.startswith("return_or_deletion_")]


def test_each_holder_is_announced_at_the_thresholds_and_once_overdue(app, ended):
    assert _plan(app, date(2026, 11, 9)) == []  # before the end: nothing exists yet
    due = _plan(app, date(2026, 11, 25))  # 15 days before 2026-12-10
    assert sorted(alert.key for alert in due) == [
        f"legal|return_or_deletion:{ended.alpha_key}|2026-12-10|30",
        f"legal|return_or_deletion:{ended.processor_key}|2026-12-10|30"]
    assert {alert.threshold for alert in _plan(app, date(2026, 12, 10))} == {0}
    overdue = _plan(app, date(2026, 12, 11))
    assert {alert.key.rpartition("|")[2] for alert in overdue} == {"overdue"}
    assert {alert.family for alert in overdue} == {alert.family for alert in due}


def test_alerts_send_mails_legal_staff_a_link_to_each_item(app, runner, ended, outbox):
    make_user("legal", email="legal@processor.example")
    result = runner.invoke(args=["alerts", "send", "--today", "2026-12-11"])
    assert result.exit_code == 0, result.output
    sent = Alert.select().where(Alert.kind == "return_or_deletion_overdue")
    assert sent.count() == 2
    again = runner.invoke(args=["alerts", "send", "--today", "2026-12-11"])
    assert again.exit_code == 0
    assert Alert.select().where(Alert.kind == "return_or_deletion_overdue").count() == 2
    [message] = [m for m in outbox() if "legal@processor.example" in m["To"]]
    body = message.get_body(("plain",)).get_content()
    assert "We had to delete Aurora Kauppa Oy's data by 2026-12-10" in body
    assert f"/return-or-deletion/{ended.alpha_key}" in body
    assert f"/return-or-deletion/{ended.processor_key}" in body
