"""Fixtures for the mail tests: an app without database work and a loopback SMTP server."""

import shutil

import pytest

from registry import create_app
from registry.extensions import database
from tests.conftest import base_config
from tests.mail.smtpserver import HangingSmtp, SmtpServer


@pytest.fixture
def smtp_server():
    """A running loopback SMTP server that records what it accepts."""
    server = SmtpServer().start()
    yield server
    server.stop()


@pytest.fixture
def mail_app(tmp_path, monkeypatch, sqlite_template):
    """An app context for building and sending mail; its database (SQLite) only holds the
    processor's settings that every message names."""
    monkeypatch.setenv("REGISTRY_INSTANCE_PATH", str(tmp_path / "instance"))
    path = tmp_path / "mail.sqlite3"
    shutil.copyfile(sqlite_template, path)
    config = base_config(tmp_path, f"sqlite:///{path}")
    config["MAIL_FROM"] = "DPA Registry <alerts@registry.example>"
    application = create_app(config)
    with application.app_context():
        database.connect(reuse_if_open=True)
        yield application
        if not database.is_closed():
            database.close()


@pytest.fixture
def hanging_smtp():
    """A mail server that accepts connections and never answers."""
    server = HangingSmtp()
    yield server
    server.close()


@pytest.fixture
def smtp(app):
    """A loopback SMTP server that `app` delivers to."""
    server = SmtpServer().start()
    app.config["SMTP_URL"] = server.url
    yield server
    server.stop()
