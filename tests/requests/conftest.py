"""Fixtures for the request tests: the loopback SMTP server and the huey queue the pages use,
the same as the incident tests'."""

from tests.incidents.conftest import queue, smtp_server  # noqa: F401 - fixtures
