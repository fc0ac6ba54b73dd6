"""Fixtures for the engagement tests: a real SMTP server on loopback wired into the app."""

import pytest

from tests.mail.smtpserver import SmtpServer


@pytest.fixture
def smtp_server(app):
    """A running loopback SMTP server that the app delivers to."""
    server = SmtpServer().start()
    app.config["SMTP_URL"] = server.url
    yield server
    server.stop()
