"""Who may use which view: every endpoint declares it, and anything undeclared is refused.

`@roles_required("admin", "legal")` admits signed-in users (both factors done) of those roles;
`@public` admits anyone. The `before_request` hook installed by `init_app` enforces both, so a
view without a declaration - a new one someone forgot - answers 403 instead of leaking.
"""

import logging

from blinker import Namespace
from flask import abort, current_app, redirect, request, url_for
from flask_login import current_user

from registry.models import ROLES

log = logging.getLogger(__name__)

STAFF = ("admin", "legal")
READERS = ("admin", "legal", "auditor")
EVERYONE = ROLES
PUBLIC = "public"
# Per address, for every form that takes a password, a code or a sign-in from a provider.
SIGN_IN_LIMIT = "10 per minute;60 per hour"
ACCESS_ATTRIBUTE = "_registry_access"

signals = Namespace()
# Sent with endpoint=..., reason=... whenever the hook refuses a request (logging and tests).
access_refused = signals.signal("access-refused")


def roles_required(*roles):
    """Admit only signed-in users whose role is one of `roles`."""
    unknown = set(roles) - set(ROLES)
    if not roles or unknown:
        raise ValueError(f"roles_required needs known roles, got {roles!r}")

    def declare(view):
        setattr(view, ACCESS_ATTRIBUTE, frozenset(roles))
        return view

    return declare


def public(view):
    """Admit anyone, signed in or not (login, health check, invitation links)."""
    setattr(view, ACCESS_ATTRIBUTE, PUBLIC)
    return view


def declaration(endpoint, app=None):
    """Return an endpoint's declaration: PUBLIC, a frozenset of roles, or None (undeclared)."""
    app = app or current_app
    if endpoint == "static":
        return PUBLIC
    view = app.view_functions.get(endpoint)
    return getattr(view, ACCESS_ATTRIBUTE, None)


def allows(endpoint, role, app=None):
    """Tell whether `role` (None = not signed in) may use `endpoint`."""
    declared = declaration(endpoint, app)
    if declared == PUBLIC:
        return True
    return declared is not None and role in declared


def _refuse(reason):
    access_refused.send(current_app._get_current_object(), endpoint=request.endpoint,
                        reason=reason)
    if reason == "signed-out":
        target = request.full_path if request.method == "GET" else None
        return redirect(url_for("auth.login", next=target.rstrip("?") if target else None))
    log.warning("refused %s %s: %s", request.method, request.path, reason)
    abort(403)


def enforce_access():
    """Refuse the request unless the endpoint's declaration admits the current user."""
    if request.endpoint is None:
        return None  # no such route: the 404/405 follows
    declared = declaration(request.endpoint)
    if declared == PUBLIC:
        return None
    if declared is None:
        log.error("endpoint %s has no access declaration; refused", request.endpoint)
        return _refuse("undeclared")
    if not current_user.is_authenticated:
        return _refuse("signed-out")
    if current_user.role not in declared:
        return _refuse("role")
    return None
