"""Documented instructions: register, new version with a diff, acknowledge, attach a document."""

from flask import Blueprint

blueprint = Blueprint("instructions", __name__)

from registry.instructions import views  # noqa: E402,F401 - registers the routes
