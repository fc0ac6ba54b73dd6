"""The dashboard: what is red or amber now, by area, and what lapses in the next 12 months."""

from flask import Blueprint

blueprint = Blueprint("dashboard", __name__)

from registry.dashboard import views  # noqa: E402,F401 - registers the routes
