"""PDF reports: the /reports page and its downloads (views), the CLI, and the typesetting."""

from flask import Blueprint

blueprint = Blueprint("reports", __name__, url_prefix="/reports")

from registry.reports import job_views, views  # noqa: E402,F401 - registers the routes
