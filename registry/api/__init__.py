"""The REST API under /api/v1: JSON, bearer tokens, problem+json errors, an OpenAPI document.

`init_app` registers the blueprint and what makes it sessionless (no cookie is read or set,
so CSRF does not apply), its per-token rate limit and its problem documents for errors; and
the web pages around it: the personal token page and the reference page.
"""

from flask import Blueprint, current_app

from registry.extensions import csrf, limiter

PREFIX = "/api/v1"
RATE_LIMIT = "600 per minute"

blueprint = Blueprint("api", __name__, url_prefix=PREFIX)

from registry.api import (  # noqa: E402
    assistance_writes,
    auth,
    catalogue,
    controller_writes,
    document_writes,
    dpa_writes,
    engagement_writes,
    findings,
    incident_writes,
    instruction_writes,
    notice_writes,
    request_writes,
    resources,
    subcontractor_writes,
    views,
)

WRITES = (controller_writes, subcontractor_writes, instruction_writes, engagement_writes,
          incident_writes, request_writes, assistance_writes, dpa_writes, document_writes,
          notice_writes)

csrf.exempt(blueprint)


def _rate_limit():
    return current_app.config.get("API_RATE_LIMIT", RATE_LIMIT)  # tests set a smaller one


limiter.limit(_rate_limit, key_func=auth.rate_limit_key)(blueprint)
blueprint.before_request(auth.authenticate)

for _resource in catalogue.RESOURCES:
    resources.register(blueprint, _resource)
findings.register(blueprint)
for _writes in WRITES:
    _writes.register(blueprint)
views.register(blueprint)


def init_app(app):
    """Register the API and its pages on `app` (after registry.auth.init_app)."""
    from registry.api import pages, problems

    app.session_interface = auth.SessionlessApi(app.session_interface)
    app.register_blueprint(blueprint)
    app.register_blueprint(pages.blueprint)
    problems.install(app)
