"""Who is calling: the bearer token of every API request, and nothing else.

The API never reads a cookie or a session (so there is no CSRF surface): `SessionlessApi` gives
API requests an empty session that is never saved, and `authenticate` takes the user from
`Authorization: Bearer <token>` only. The user is set as Flask-Login's current user for the
request, so the operations' audit events name them and the portal's scoping functions confine a
subcontractor's token to its own company.
"""

from flask import g, request
from flask.sessions import SessionInterface

from registry.api import tokens
from registry.api.problems import API_PREFIX, Problem
from registry.auth.sessions import ServerSession

# Endpoints anyone may read without a token: the OpenAPI document describes, it reveals nothing.
OPEN_ENDPOINTS = {"api.openapi_document"}


def bearer_token():
    """Return the token of an `Authorization: Bearer` header, or None."""
    scheme, _, credentials = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not credentials.strip():
        return None
    return credentials.strip()


def authenticate():
    """Before every API request: admit a usable token's owner, or answer 401."""
    if request.endpoint in OPEN_ENDPOINTS:
        return None
    found = tokens.authenticate(bearer_token(), request.remote_addr or "")
    if found is None:
        raise Problem(401, headers={"WWW-Authenticate": 'Bearer realm="dpa-registry"'})
    g.api_token, g.api_user = found
    g._login_user = g.api_user  # Flask-Login's current_user, for this request only
    return None


def rate_limit_key():
    """Count API requests per token prefix (per address before a token is shown)."""
    token = bearer_token() or ""
    prefix = token.split("_")[1] if token.count("_") >= 2 else None
    return f"api-token:{prefix}" if prefix else f"api-address:{request.remote_addr}"


class SessionlessApi(SessionInterface):
    """The app's session interface, except that API requests get no session at all."""

    def __init__(self, wrapped):
        self.wrapped = wrapped

    def open_session(self, app, request_):
        """Open the real session, or an empty one that is never stored for an API request."""
        if request_.path.startswith(API_PREFIX):
            return ServerSession()
        return self.wrapped.open_session(app, request_)

    def save_session(self, app, session_, response):
        """Save the real session; never one of an API request (no Set-Cookie, no row)."""
        from flask import request as current

        if current.path.startswith(API_PREFIX):
            return None
        return self.wrapped.save_session(app, session_, response)

    def __getattr__(self, name):
        return getattr(self.wrapped, name)
