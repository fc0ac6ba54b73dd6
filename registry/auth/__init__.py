"""Sign-in (password + TOTP), enrolment, recovery codes, invitations, account pages, sessions.

`init_app(app)` installs server-side sessions, Flask-Login, the deny-by-default access hook,
CSRF and per-IP limits (security headers and error pages are registry.security's).
"""

from flask import Blueprint, g

from registry.extensions import csrf, limiter, login_manager

blueprint = Blueprint("auth", __name__)

from registry.auth import account, enrolment, links, views  # noqa: E402,F401 - routes


def _forget_request_state():
    # Tests keep one app context across requests, and with it `g`: drop what extensions cache
    # there per request, so one request's user or CSRF token never leaks into the next.
    for key in ("_login_user", "csrf_token"):
        g.pop(key, None)


def init_app(app):
    """Install sessions, authentication, access control, CSRF and rate limits."""
    from registry.auth import access, sessions

    # A form's token expires: one copied from an old page cannot be replayed all session long.
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", app.config["CSRF_TIME_LIMIT_MINUTES"] * 60)
    app.before_request(_forget_request_state)
    app.teardown_request(lambda _error: _forget_request_state())
    app.session_interface = sessions.DatabaseSessionInterface()
    login_manager.init_app(app)
    login_manager.session_protection = None  # the server-side session is the protection
    login_manager.request_loader(lambda _request: sessions.signed_in_user())
    app.before_request(access.enforce_access)
    from registry.audit_trail import security_log

    app.after_request(security_log.record_refusals)
    csrf.init_app(app)
    limiter.init_app(app)
    app.register_blueprint(blueprint)
