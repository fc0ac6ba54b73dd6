"""`dpa-registry alerts send` stopped by SIGTERM while the mail server hangs: what it claimed and
did not send is given back at once, so the next run sends it (not only after the lease)."""

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from registry.models import Alert
from tests.alerts.factories import make_lapsing_registry
from tests.conftest import base_config, needs_real_timed_waits

DPA_REGISTRY = str(Path(sys.executable).parent / "dpa-registry")
TODAY = "2026-11-25"  # the lapsing registry's alerts are due then


class HangingSmtp:
    """Accepts connections and never says a word."""

    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.connected = threading.Event()
        self.clients = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                client, _address = self.listener.accept()
            except OSError:
                return
            self.clients.append(client)
            self.connected.set()

    def close(self):
        for sock in [self.listener, *self.clients]:
            sock.close()


@pytest.fixture
def hanging_smtp():
    server = HangingSmtp()
    yield server
    server.close()


def _environment(tmp_path, database_url, smtp_url):
    config = base_config(tmp_path, database_url)
    return {**os.environ, "REGISTRY_DATABASE_URL": database_url,
            "REGISTRY_SECRET_KEY": config["SECRET_KEY"], "REGISTRY_TOTP_KEY": config["TOTP_KEY"],
            "REGISTRY_INSTANCE_PATH": str(tmp_path / "instance"), "REGISTRY_SMTP_URL": smtp_url}


def _wait_for_claims(expected):
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        claimed = Alert.select().where(Alert.claim_token.is_null(False)).count()
        if claimed == expected:
            return
        time.sleep(0.1)
    raise AssertionError("the run did not claim its alerts")


# The stopped run leaves through timed waits (socket and thread timeouts), which libfaketime
# never lets expire: seen in `make test-dates`, where the run did not exit within 15 s.
@needs_real_timed_waits
def test_sigterm_gives_back_the_claimed_alerts(app, runner, tmp_path, database_url,
                                               hanging_smtp, smtp_server):
    make_lapsing_registry()
    smtp_url = f"smtp://127.0.0.1:{hanging_smtp.port}?timeout=120"
    run = subprocess.Popen([DPA_REGISTRY, "alerts", "send", "--today", TODAY],
                           env=_environment(tmp_path, database_url, smtp_url),
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert hanging_smtp.connected.wait(60), run.communicate(timeout=5)
        alerts = Alert.select().count()
        assert alerts > 0
        _wait_for_claims(alerts)
        run.send_signal(signal.SIGTERM)
        _out, errors = run.communicate(timeout=15)
    finally:
        run.kill()
    assert run.returncode == 128 + signal.SIGTERM
    assert "stopped by SIGTERM" in errors
    rows = list(Alert.select())
    assert {(row.status, row.claim_token, row.claimed_at) for row in rows} == {
        ("pending", None, None)}
    # The message in flight may have reached the server: it goes again under its Message-ID.
    kept = {row.message_id for row in rows if row.message_id}
    assert len(kept) == 1

    result = runner.invoke(args=["alerts", "send", "--today", TODAY])  # within the lease
    assert result.exit_code == 0, result.output
    assert {row.status for row in Alert.select()} == {"sent"}
    sent = smtp_server.messages
    assert len(sent) == 2
    assert kept <= {message["Message-ID"] for _recipients, message, _auth in sent}
