"""Pages that belong to no area: the home page, liveness (/healthz) and readiness (/readyz)."""

from flask import Blueprint

blueprint = Blueprint("core", __name__)

from registry.core import views  # noqa: E402,F401 - registers the routes
