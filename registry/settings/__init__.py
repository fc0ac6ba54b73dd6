"""The processor's own details (name, contact, security measures) that reports print."""

from flask import Blueprint

blueprint = Blueprint("settings", __name__, url_prefix="/admin/settings")

from registry.settings import views  # noqa: E402,F401 - registers the routes
