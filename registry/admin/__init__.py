"""Administration of user accounts: list, invite, change role, deactivate, reset MFA."""

from flask import Blueprint

blueprint = Blueprint("admin", __name__, url_prefix="/admin")

from registry.admin import views  # noqa: E402,F401 - registers the routes
