"""Home page and health check."""

from flask import jsonify, render_template
from peewee import PeeweeException

from registry.core import blueprint
from registry.extensions import database


@blueprint.get("/")
def home():
    """Show the landing page."""
    return render_template("core/home.html")


@blueprint.get("/healthz")
def health():
    """Report whether the app can reach its database, without revealing anything else."""
    try:
        database.execute_sql("SELECT 1")
    except PeeweeException:
        return jsonify(status="error", database="unreachable"), 503
    return jsonify(status="ok", database="ok")
