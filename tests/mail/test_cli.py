"""`dpa-registry mail test`: one message through the configured transport."""

from tests.mail.smtpserver import free_port


def test_mail_test_sends_through_smtp(mail_app, smtp_server):
    mail_app.config["SMTP_URL"] = smtp_server.url
    result = mail_app.test_cli_runner().invoke(args=["mail", "test", "--to", "ops@example.com"])
    assert result.exit_code == 0, result.output
    [(recipients, message, _auth)] = smtp_server.messages
    assert recipients == ["ops@example.com"]
    assert message["Subject"] == "[dpa-registry] Test message"


def test_mail_test_reports_a_failure_without_the_password(mail_app):
    mail_app.config["SMTP_URL"] = f"smtp://ops:hunter2@127.0.0.1:{free_port()}?timeout=2"
    result = mail_app.test_cli_runner().invoke(args=["mail", "test", "--to", "ops@example.com"])
    assert result.exit_code == 1
    assert "not sent via smtp://ops:***@127.0.0.1" in result.output
    assert "hunter2" not in result.output
