"""DPAs: draft, edit, sign with the PDF, new version, terminate, download the signed PDF."""

from flask import Blueprint

blueprint = Blueprint("dpas", __name__)

from registry.dpas import views  # noqa: E402,F401 - registers the routes
