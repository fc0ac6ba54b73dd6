"""The subcontractors' own portal: requirements, uploads, history and contacts (`/portal`)."""

from flask import Blueprint

blueprint = Blueprint("portal", __name__, url_prefix="/portal")

from registry.portal import (  # noqa: E402,F401 - guard and routes
    access,
    incidents,
    return_or_deletion,
    views,
)

blueprint.before_request(access.refuse_foreign_parameters)
