"""Fixtures for the portal tests: two companies, their uploads, and a signed-in client for A."""

import pytest

from tests.auth_helpers import login
from tests.portal.factories import make_upload, make_world


@pytest.fixture
def world(app):
    """Companies A (medium tier) and B (high tier), one upload each, and a legal user."""
    first, second, legal = make_world()
    first.upload = make_upload(first.subcontractor, first.user, review="accepted")
    second.upload = make_upload(second.subcontractor, second.user, review="pending")
    return first, second, legal


@pytest.fixture
def tenant_a(world, client):
    """A client signed in as company A's user; returns (client, A, B)."""
    first, second, _legal = world
    login(client, first.user)
    return client, first, second
