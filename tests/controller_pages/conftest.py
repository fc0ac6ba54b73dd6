"""Fixtures for the controller page tests: two controllers with links, and a real SMTP server."""

import pytest

from tests.controller_pages.helpers import make_party
from tests.incidents.conftest import queue  # noqa: F401 - the huey queue, worked by hand
from tests.mail.smtpserver import SmtpServer


@pytest.fixture
def parties(app, clock):
    """Aurora (two privacy contacts) and Borealis (one), each with its DPA, an authorised and a
    pending sub-processor, an instruction and a link."""
    return (make_party("Aurora Kauppa Oy", ["dpo@aurora.example", "legal@aurora.example"],
                       "Aurora"),
            make_party("Borealis Oy", ["privacy@borealis.example"], "Borealis"))


@pytest.fixture
def smtp_server(app):
    """A running loopback SMTP server that the app delivers to."""
    server = SmtpServer().start()
    app.config["SMTP_URL"] = server.url
    yield server
    server.stop()


@pytest.fixture
def deliver(app):
    """A function that delivers the mail queued so far, as the worker would.

    With the transactional outbox (`registry.mail.delivery`) mail waits in the database until
    delivered; where mail is sent at once there is nothing to do.
    """
    try:
        from registry.mail.delivery import deliver_due
    except ImportError:
        return lambda: None
    return deliver_due

