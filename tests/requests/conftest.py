"""Fixtures for the request tests: a loopback SMTP server, and the huey queue the pages use."""

import pytest
from huey.storage import SqliteStorage

from registry import tasks
from tests.mail.smtpserver import SmtpServer


@pytest.fixture
def smtp_server(app):
    """A running loopback SMTP server that the app delivers to."""
    server = SmtpServer().start()
    app.config["SMTP_URL"] = server.url
    yield server
    server.stop()


@pytest.fixture
def queue(tmp_path, monkeypatch):
    """The huey queue on a private SQLite file; `work()` runs what the worker would."""
    storage = SqliteStorage("dpa-registry", filename=str(tmp_path / "queue" / "huey.sqlite3"),
                            create_tables=False)
    monkeypatch.setattr(tasks.huey, "storage", storage)

    def work():
        done = 0
        while tasks.huey.pending_count():
            tasks.huey.execute(tasks.huey.dequeue())
            done += 1
        return done

    tasks.huey.work = work
    yield tasks.huey
    del tasks.huey.work
