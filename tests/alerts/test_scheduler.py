"""serve's alert scheduler (one pass, no sleeping), the alert-run record, the 26-hour warning,
and the demo's companies without accounts left alone."""

from datetime import UTC, datetime, timedelta

from registry.alerts import operations, runs
from registry.alerts.scheduler import run_due_alerts
from registry.models import User
from tests.alerts.factories import make_lapsing_registry
from tests.auth_helpers import login
from tests.factories import make_user

WARNING = "No alert run in the last 26 hours"


def test_a_pass_runs_the_due_day_once_and_only_from_the_alert_hour(app, smtp_server, clock):
    make_lapsing_registry()
    app.config["ALERT_HOUR"] = 7
    clock.move_to(datetime(2026, 11, 25, 4, 30, tzinfo=UTC))  # 06:30 in Helsinki
    assert run_due_alerts() is None and not smtp_server.messages
    clock.move_to(datetime(2026, 11, 25, 5, 0, tzinfo=UTC))  # 07:00
    report = run_due_alerts()
    assert len(report.sent) == 2 and len(smtp_server.messages) == 2
    assert run_due_alerts() is None  # the day is claimed
    [run] = runs.AlertRun.select()
    assert run.source == "serve" and run.sent == 2 and run.finished_at is not None
    assert str(run.scheduled_day) == "2026-11-25"


def test_another_process_cannot_claim_a_claimed_day(app, clock):
    day = datetime(2026, 11, 25).date()
    assert runs.start("serve", scheduled_day=day) is not None
    assert runs.start("serve", scheduled_day=day) is None
    assert runs.day_claimed(day)


def test_admins_are_warned_when_no_run_happened_for_26_hours(app, client, clock):
    admin = make_user("admin")
    login(client, admin)
    for path in ("/dashboard", "/alerts/"):
        assert WARNING in client.get(path).get_data(as_text=True)  # none ever ran
    operations.send_alerts()  # a run now: no warning
    for path in ("/dashboard", "/alerts/"):
        assert WARNING not in client.get(path).get_data(as_text=True)
    clock.advance(timedelta(hours=25, minutes=59))
    login(client, admin)  # the session has ended meanwhile
    assert WARNING not in client.get("/dashboard").get_data(as_text=True)
    clock.advance(timedelta(minutes=2))
    page = client.get("/alerts/").get_data(as_text=True)
    assert WARNING in page and "<code>dpa-registry worker</code>" in page


def test_legal_staff_are_not_shown_the_warning(app, client, clock):
    login(client, make_user("legal"))
    assert WARNING not in client.get("/dashboard").get_data(as_text=True)


def test_the_empty_alerts_page_shows_the_command_as_code(app, client, clock):
    login(client, make_user("legal"))
    page = client.get("/alerts/").get_data(as_text=True)
    assert "<code>dpa-registry alerts send</code>" in page and "`" not in page


def test_the_demo_s_companies_without_accounts_get_no_reminders(app, runner, smtp_server,
                                                                clock):
    assert runner.invoke(args=["demo"]).exit_code == 0
    report = operations.send_alerts()
    assert not [group for group, *_ in report.sent if group.audience.startswith("subcontractor")]
    assert not User.select().where(User.subcontractor.is_null(False)).exists()
    assert not report.failed
