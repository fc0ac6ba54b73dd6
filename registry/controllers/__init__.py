"""Controllers: the list with filters and CSV export, each controller's dossier, create and edit."""

from flask import Blueprint

blueprint = Blueprint("controllers", __name__, url_prefix="/controllers")

from registry.controllers import views  # noqa: E402,F401 - registers the routes
