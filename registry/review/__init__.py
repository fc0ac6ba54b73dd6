"""The review queue: uploaded attestations waiting for legal staff to accept or reject them."""

from flask import Blueprint

blueprint = Blueprint("review", __name__, url_prefix="/review")

from registry.review import views  # noqa: E402,F401 - registers the routes
