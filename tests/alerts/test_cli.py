"""`dpa-registry alerts send|summary`: output and exit codes."""

from datetime import date

from registry.models import Alert, User
from tests.alerts.factories import make_lapsing_registry


def test_send_reports_what_went_and_exits_zero(app, runner, smtp_server, travel):
    make_lapsing_registry()
    travel(2026, 11, 25, 6, 0)
    result = runner.invoke(args=["alerts", "send"])
    assert result.exit_code == 0, result.output
    assert ("sent legal: \u201c[dpa-registry] Compliance alerts for 2026-11-25: 2 amber\u201d "
            "to 2 recipients") in result.output
    again = runner.invoke(args=["alerts", "send"])
    assert again.exit_code == 0 and "nothing new to send" in again.output


def test_send_exits_one_when_a_message_failed(app, runner, smtp_server, travel):
    make_lapsing_registry()
    smtp_server.handler.refuse["legal@processor.example"] = "550 5.1.1 Unknown user"
    travel(2026, 11, 25, 6, 0)
    result = runner.invoke(args=["alerts", "send"])
    assert result.exit_code == 1
    assert "failed legal" in result.output


def test_send_exits_75_when_the_server_is_down_and_keeps_the_alerts(app, runner, travel):
    from tests.mail.smtpserver import free_port

    make_lapsing_registry()
    app.config["SMTP_URL"] = f"smtp://mailer:pa55word@127.0.0.1:{free_port()}?timeout=2"
    travel(2026, 11, 25, 6, 0)
    result = runner.invoke(args=["alerts", "send"])
    assert result.exit_code == 75  # EX_TEMPFAIL: cron or systemd may retry
    assert "retried later" in result.output and "pa55word" not in result.output
    assert result.output.strip().splitlines()[-1] == (
        "mail server unreachable: 2 alerts kept for the next run (exit 75)")
    assert {alert.status for alert in Alert.select()} == {"pending"}
    assert {alert.claim_token for alert in Alert.select()} == {None}


def test_an_alert_without_recipients_is_kept_but_exits_zero(app, runner, travel):
    make_lapsing_registry()
    User.update(is_active=False).where(User.role.in_(["legal", "admin"])).execute()
    travel(2026, 11, 25, 6, 0)
    result = runner.invoke(args=["alerts", "send"])
    assert "nobody to send it to" in result.output
    assert result.exit_code == 0  # nothing to retry sooner: someone must add an address


def test_today_option_and_dry_run(app, runner, travel):
    make_lapsing_registry(lapses_on=date(2027, 1, 24))
    travel(2026, 11, 25, 6, 0)
    result = runner.invoke(args=["alerts", "send", "--today", "2027-01-17", "--dry-run"])
    assert result.exit_code == 0
    assert "dry run: legal: 2 alerts to admin@processor.example, legal@processor.example" in (
        result.output)
    assert "|7" in result.output
    assert Alert.select().count() == 0
    bad = runner.invoke(args=["alerts", "send", "--today", "17.1.2027"])
    assert bad.exit_code == 2


def test_summary_command(app, runner, travel):
    make_lapsing_registry(lapses_on=date(2026, 11, 1))
    travel(2026, 11, 25, 6, 0)
    result = runner.invoke(args=["alerts", "summary"])
    assert result.exit_code == 0, result.output
    assert "[dpa-registry] Weekly overdue summary: 3 expired items" in result.output
