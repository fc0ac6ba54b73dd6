"""Fixtures for the alert tests: a loopback SMTP server wired into the app, and time travel."""

from datetime import UTC, datetime

import pytest
import time_machine

from tests.mail.smtpserver import SmtpServer


@pytest.fixture
def smtp_server(app):
    """A running loopback SMTP server that the app sends through."""
    server = SmtpServer().start()
    app.config["SMTP_URL"] = server.url
    yield server
    server.stop()


@pytest.fixture
def travel():
    """Return a function that moves the clock to a UTC instant (and keeps it there)."""
    travellers = []

    def to(*args):
        traveller = time_machine.travel(datetime(*args, tzinfo=UTC), tick=False)
        traveller.start()
        travellers.append(traveller)

    yield to
    for traveller in reversed(travellers):
        traveller.stop()
