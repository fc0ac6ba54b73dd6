"""Who delivers webhooks outside requests: a thread of each gunicorn worker process (and of
`dpa-registry serve`), or the huey worker's every-minute job."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from registry import create_app, tasks
from registry.extensions import database
from registry.webhooks import operations
from registry.webhooks.models import WebhookDelivery
from tests.conftest import base_config
from tests.mail.smtpserver import free_port

BIN = Path(sys.executable).parent
REPOSITORY = Path(__file__).resolve().parents[2]
WAIT_SECONDS = 60


def _delivered_by(command, tmp_path, receiver):
    """Queue a test event, start `command` (a web server) and wait for the receiver to get it."""
    database_url = f"sqlite:///{tmp_path}/serve.sqlite3"
    env = {**os.environ, "PYTHONPATH": str(REPOSITORY), "REGISTRY_DATABASE_URL": database_url,
           "REGISTRY_INSTANCE_PATH": str(tmp_path / "instance"),
           "REGISTRY_WEBHOOKS_ALLOW_HTTP_LOOPBACK": "true"}
    subprocess.run([str(BIN / "dpa-registry"), "db", "upgrade"], env=env, check=True,
                   capture_output=True, timeout=120)
    app = create_app({**base_config(tmp_path, database_url),
                      "WEBHOOKS_ALLOW_HTTP_LOOPBACK": True})
    env["REGISTRY_SECRET_KEY"] = app.config["SECRET_KEY"]  # the endpoint's secret is sealed
    env["REGISTRY_AUDIT_KEY"] = app.config["AUDIT_KEY"]
    with app.app_context(), database.connection_context():
        endpoint, receiver.secret = operations.create_endpoint(receiver.url, "", ["dpa.signed"],
                                                               "cli")
        operations.send_test_event(endpoint, "cli")
    server = subprocess.Popen(command, env=env, cwd=tmp_path, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        assert receiver.arrived.wait(WAIT_SECONDS), "the server did not deliver the webhook"
    finally:
        server.terminate()
        server.wait(30)
    return receiver.received


def test_serve_delivers_webhooks_from_its_own_thread(tmp_path, receiver):
    command = [str(BIN / "dpa-registry"), "serve", "--port", str(free_port()), "--no-scheduler"]
    [got] = _delivered_by(command, tmp_path, receiver)
    assert got.signed and got.event["type"] == "webhook.test"


def test_gunicorn_workers_deliver_webhooks(tmp_path, receiver):
    pytest.importorskip("gunicorn", reason="gunicorn is not installed (pip install -e '.[test]')")
    command = [str(BIN / "gunicorn"), "-c", "python:registry.gunicorn_config",
               "--bind", f"127.0.0.1:{free_port()}", "--workers", "2"]
    [got] = _delivered_by(command, tmp_path, receiver)
    assert got.signed and got.event["type"] == "webhook.test"


def test_the_worker_job_announces_and_delivers(endpoint, receiver, monkeypatch):
    monkeypatch.setattr(tasks.huey, "immediate", True)
    operations.send_test_event(endpoint, "cli")
    tasks.deliver_webhooks()
    assert WebhookDelivery.get().status == "delivered"
    assert receiver.received[0].signed
