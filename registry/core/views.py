"""Home page, liveness and readiness."""

from flask import jsonify, redirect, render_template, url_for
from flask_login import current_user

from registry.auth.access import EVERYONE, public, roles_required
from registry.auth.landing import landing_url
from registry.core import blueprint, health
from registry.db import own_connection
from registry.faults import RETRY_AFTER_SECONDS


@blueprint.get("/")
@public
def home():
    """Send visitors to the sign-in page and signed-in users to their start page."""
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    return redirect(landing_url(current_user))


@blueprint.get("/home")
@roles_required(*EVERYONE)
def signed_in_home():
    """Show a simple start page when no dashboard or portal is installed."""
    return render_template("core/home.html")


@blueprint.get("/healthz")
@public
@own_connection
def liveness():
    """Answer 200 while the process serves requests; touch nothing else (liveness)."""
    return jsonify(status="ok"), 200, {"Cache-Control": "no-store"}


@blueprint.get("/readyz")
@public
@own_connection
def readiness():
    """Answer 200 when the database, its migrations and Redis are ready, else 503 naming why."""
    ready, checks, failed = health.readiness()
    if ready:
        return jsonify(status="ready", checks=checks), 200, {"Cache-Control": "no-store"}
    headers = {"Cache-Control": "no-store", "Retry-After": str(RETRY_AFTER_SECONDS)}
    return jsonify(status="not ready", failed=failed, checks=checks), 503, headers
