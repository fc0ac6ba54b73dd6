"""API test helpers: a token per role, a client that sends it, and responses checked against
the served OpenAPI document."""

import pytest

from registry.api import tokens
from tests.api.contract import Contract
from tests.factories import make_user


@pytest.fixture
def contract(app):
    """Validates every response a test reads against the OpenAPI document."""
    return Contract(app)


@pytest.fixture
def issue_token(app):
    """Return (secret, user) of a new token: issue_token(role, scope="read", user=None)."""

    def issue(role="legal", scope="read", user=None, **options):
        user = user or make_user(role, **options)
        return tokens.issue(user, f"test {role} {scope}", scope).secret, user

    return issue


@pytest.fixture
def api(app, contract):
    """A client for the API: api.get(url, token=...), every answer checked by the contract."""
    return ApiClient(app.test_client(), contract)


class ApiClient:
    """Sends the bearer token and validates each response against the document."""

    def __init__(self, client, contract):
        self.client = client
        self.contract = contract

    def open(self, method, url, token=None, headers=None, **kwargs):
        headers = dict(headers or {})
        if token:
            headers["Authorization"] = f"Bearer {token}"
        response = self.client.open(url, method=method, headers=headers, **kwargs)
        self.contract.check(method, url, response, headers, **kwargs)
        return response

    def get(self, url, **kwargs):
        return self.open("GET", url, **kwargs)

    def post(self, url, **kwargs):
        return self.open("POST", url, **kwargs)

    def patch(self, url, **kwargs):
        return self.open("PATCH", url, **kwargs)
