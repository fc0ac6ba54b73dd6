"""Data-subject requests (forwarded to the controller within working days) and controllers'
assistance requests (DPIA, prior consultation, security information, audits).

The routes live in `registry.requests.views` and `registry.requests.assistance_views`, which
the app factory imports: this package is also imported by the engine's loader
(`queries.load_subject_requests`), which must not pull in views.
"""

from flask import Blueprint

blueprint = Blueprint("requests", __name__, url_prefix="/requests")
