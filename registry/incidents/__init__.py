"""Incidents (personal-data breaches): record, notify each affected controller, register."""

from flask import Blueprint

blueprint = Blueprint("incidents", __name__, url_prefix="/incidents")
