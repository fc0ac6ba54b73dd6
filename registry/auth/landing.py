"""Where people land after signing in, and which `next=` targets are safe to follow."""

from urllib.parse import urlsplit

from flask import current_app, url_for

from registry.auth.access import READERS

LANDING_PAGES = {"subcontractor": "portal.show_portal"}
STAFF_LANDING = "dashboard.show_dashboard"


def safe_next(target):
    """Return `target` when it is a path on this site, else None (no open redirects)."""
    if not target or len(target) > 2000:
        return None
    if not target.startswith("/") or target.startswith(("//", "/\\")):
        return None
    if any(ch in target for ch in "\\\r\n\t") or any(ord(ch) < 32 for ch in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def landing_url(user):
    """Return the page a signed-in user starts on: portal, dashboard, or the signed-in home."""
    endpoint = LANDING_PAGES.get(user.role) if user.role not in READERS else STAFF_LANDING
    if endpoint and endpoint in current_app.view_functions:
        return url_for(endpoint)
    return url_for("core.signed_in_home")
