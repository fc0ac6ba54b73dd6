"""Who delivers the outbox: the worker (woken by a request, and every minute) or `serve` itself."""

import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from huey.storage import SqliteStorage

from registry import create_app, tasks
from registry.extensions import database
from registry.mail import compose, outbox
from registry.models import MailMessage
from tests.auth_helpers import login, post_form
from tests.conftest import base_config
from tests.factories import make_user
from tests.mail.smtpserver import SmtpServer, free_port

BIN = Path(sys.executable).parent
REPOSITORY = Path(__file__).resolve().parents[2]


@pytest.fixture
def queue(tmp_path, monkeypatch):
    """The huey queue on a private SQLite file (the web process creates its tables)."""
    storage = SqliteStorage("dpa-registry", filename=str(tmp_path / "queue" / "huey.sqlite3"),
                            create_tables=False)
    monkeypatch.setattr(tasks.huey, "storage", storage)
    return tasks.huey


def test_with_a_worker_a_request_that_queued_mail_wakes_it(app, make_client, smtp, queue):
    app.config["MAIL_DELIVERY"] = "worker"
    client = login(make_client(), make_user("admin", email="admin@processor.example"))
    tasks.prepare_storage(queue)
    assert queue.pending_count() == 0  # signing in queued no mail, so no kick
    post_form(client, "/admin/users/invite", {
        "email": "ann@example.test", "full_name": "", "role": "legal", "subcontractor": ""})
    assert smtp.messages == [] and queue.pending_count() == 1
    queue.execute(queue.dequeue())  # what the worker does
    [(recipients, _message, _auth)] = smtp.messages
    assert recipients == ["ann@example.test"]
    assert MailMessage.get().status == "sent"


def test_the_worker_delivers_every_minute(queue):
    task = tasks.deliver_outbox.task_class
    assert task in queue._registry._periodic_tasks
    assert all(task().validate_datetime(datetime(2026, 11, 25, 10, minute))
               for minute in range(60))


def _delivered_by(command, tmp_path):
    """Queue one message, start `command` (a web server), and return what it delivered."""
    database_url = f"sqlite:///{tmp_path}/serve.sqlite3"
    smtp = SmtpServer().start()
    env = {**os.environ, "PYTHONPATH": str(REPOSITORY), "REGISTRY_DATABASE_URL": database_url,
           "REGISTRY_INSTANCE_PATH": str(tmp_path / "instance"), "REGISTRY_SMTP_URL": smtp.url}
    subprocess.run([str(BIN / "dpa-registry"), "db", "upgrade"], env=env, check=True,
                   capture_output=True, timeout=120)
    app = create_app(base_config(tmp_path, database_url))
    # A queued message is sealed with the secret key: every process shares it.
    env["REGISTRY_SECRET_KEY"] = app.config["SECRET_KEY"]
    with app.app_context(), database.connection_context():
        outbox.enqueue(compose(["ann@example.com"], "Hello", "mail/test_message"), "invitation")
    server = subprocess.Popen(command, env=env, cwd=tmp_path, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        assert smtp.wait_for_messages(1, timeout=60), "the server did not deliver the outbox"
    finally:
        server.terminate()
        server.wait(30)
        smtp.stop()
    return smtp.messages


def test_serve_delivers_the_outbox_from_its_own_thread(tmp_path):
    command = [str(BIN / "dpa-registry"), "serve", "--port", str(free_port())]
    [(recipients, message, _auth)] = _delivered_by(command, tmp_path)
    assert recipients == ["ann@example.com"] and message["Subject"] == "[dpa-registry] Hello"


def test_gunicorn_workers_deliver_the_outbox_too(tmp_path):
    pytest.importorskip("gunicorn", reason="gunicorn is not installed (pip install -e '.[test]')")
    command = [str(BIN / "gunicorn"), "-c", "python:registry.gunicorn_config",
               "--bind", f"127.0.0.1:{free_port()}", "--workers", "2"]
    [(recipients, _message, _auth)] = _delivered_by(command, tmp_path)
    assert recipients == ["ann@example.com"]
