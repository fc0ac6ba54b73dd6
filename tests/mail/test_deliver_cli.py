"""`dpa-registry mail deliver|status`: one delivery pass for cron, and the outbox's state."""

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from registry.db import write_transaction
from registry.mail import compose, outbox
from registry.models import MailMessage
from tests.conftest import base_config, needs_real_timed_waits
from tests.mail.smtpserver import free_port

DPA_REGISTRY = str(Path(sys.executable).parent / "dpa-registry")


def queue(count=1):
    """Queue `count` test messages; return their rows."""
    with write_transaction():
        return [outbox.enqueue(compose([f"person{number}@example.com"], "Hello",
                                       "mail/test_message"), "invitation")
                for number in range(count)]


def test_deliver_sends_what_is_due_and_says_so(app, runner, smtp):
    queue(2)
    result = runner.invoke(args=["mail", "deliver"])
    assert result.exit_code == 0, result.output
    assert "2 sent, 0 to retry later, 0 failed; 0 queued" in result.output
    assert len(smtp.messages) == 2


def test_deliver_exits_75_when_the_server_cannot_be_reached(app, runner):
    queue(2)
    app.config["SMTP_URL"] = f"smtp://127.0.0.1:{free_port()}?timeout=2"
    result = runner.invoke(args=["mail", "deliver"])
    assert result.exit_code == 75
    assert "mail server unreachable: 2 e-mails kept for the next pass (exit 75)" in result.output
    assert {row.status for row in MailMessage.select()} == {"queued"}


def test_status_counts_by_status_with_the_oldest_queued_age(app, runner, smtp):
    assert runner.invoke(args=["mail", "status"]).output.splitlines() == [
        "queued 0 sent 0 failed 0", "oldest queued: none"]
    queue(3)
    runner.invoke(args=["mail", "deliver"])
    queue(1)
    result = runner.invoke(args=["mail", "status", "--format", "json"])
    assert result.exit_code == 0
    assert json.loads(result.output) == {"queued": 1, "sent": 3, "failed": 0,
                                         "oldest_queued_seconds": 0}


def _environment(tmp_path, database_url, smtp_url):
    config = base_config(tmp_path, database_url)
    return {**os.environ, "REGISTRY_DATABASE_URL": database_url,
            "REGISTRY_SECRET_KEY": config["SECRET_KEY"], "REGISTRY_TOTP_KEY": config["TOTP_KEY"],
            "REGISTRY_AUDIT_KEY": config.get("AUDIT_KEY", ""),
            "REGISTRY_INSTANCE_PATH": str(tmp_path / "instance"), "REGISTRY_SMTP_URL": smtp_url}


# The stopped pass leaves through timed waits (socket timeouts), which libfaketime never lets
# expire (see tests/alerts/test_interrupt.py).
@needs_real_timed_waits
def test_sigterm_gives_back_what_the_pass_claimed(app, runner, tmp_path, database_url,
                                                  hanging_smtp, smtp):
    rows = queue(3)
    run = subprocess.Popen([DPA_REGISTRY, "mail", "deliver"],
                           env=_environment(tmp_path, database_url, hanging_smtp.url(120)),
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        # Connected means claimed: the pass claims its batch before it opens the session.
        assert hanging_smtp.connected.wait(60), run.communicate(timeout=5)
        run.send_signal(signal.SIGTERM)
        _out, errors = run.communicate(timeout=15)
    finally:
        run.kill()
    assert run.returncode == 128 + signal.SIGTERM
    assert "stopped by SIGTERM" in errors
    stored = {row.id: row for row in MailMessage.select()}
    assert {row.status for row in stored.values()} == {"queued"}
    # The message in flight may have reached the server: it stays claimed until the lease ends.
    # The others go to the next pass at once.
    assert stored[rows[0].id].claim_token is not None
    assert [stored[row.id].claim_token for row in rows[1:]] == [None, None]
    result = runner.invoke(args=["mail", "deliver"])
    assert result.exit_code == 0, result.output
    assert len(smtp.messages) == 2
