"""Incidents (personal-data breaches): record, notify each affected controller, register.

The routes live in `registry.incidents.views`, which the app factory imports: this package is
also imported by the engine's loader (`queries.load_incidents`), which must not pull in views.
"""

from flask import Blueprint

blueprint = Blueprint("incidents", __name__, url_prefix="/incidents")


@blueprint.app_template_filter("aware")
def aware_filter(instant):
    """Return a stored naive-UTC instant as an aware one in REGISTRY_TIMEZONE."""
    from registry.incidents.queries import aware

    return aware(instant)

