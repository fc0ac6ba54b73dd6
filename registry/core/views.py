"""Home page and health check."""

from flask import jsonify, redirect, render_template, url_for
from flask_login import current_user
from peewee import PeeweeException

from registry.auth.access import EVERYONE, public, roles_required
from registry.auth.landing import landing_url
from registry.core import blueprint
from registry.extensions import database


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
def health():
    """Report whether the app can reach its database, without revealing anything else."""
    try:
        database.execute_sql("SELECT 1")
    except PeeweeException:
        return jsonify(status="error", database="unreachable"), 503
    return jsonify(status="ok", database="ok")
