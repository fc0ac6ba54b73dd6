"""The main navigation: one list of items; each shows when its endpoint exists and the role fits.

Areas add their entry to NAV_ITEMS (one line each); the order here is the order on screen.
"""

from typing import NamedTuple

from flask import current_app, has_request_context, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from registry.auth.access import READERS, STAFF


class NavItem(NamedTuple):
    """One link of the main navigation."""

    label: str  # a lazy translation, read in the page's language
    endpoint: str
    roles: tuple


NAV_ITEMS = [
    NavItem(_l("Dashboard"), "dashboard.show_dashboard", READERS),
    NavItem(_l("Controllers"), "controllers.list_controllers", READERS),
    NavItem(_l("Subcontractors"), "subcontractors.list_subcontractors", READERS),
    NavItem(_l("Engagements"), "engagements.list_engagements", READERS),
    NavItem(_l("Incidents"), "incidents.list_incidents", READERS),
    NavItem(_l("Requests"), "requests.list_subject_requests", READERS),
    NavItem(_l("Return or deletion"), "return_or_deletion.list_items", READERS),
    NavItem(_l("Review"), "review.show_queue", READERS),
    NavItem(_l("Portal"), "portal.show_portal", ("subcontractor",)),
    NavItem(_l("Users"), "admin.list_users", ("admin",)),
    NavItem(_l("Reports"), "reports.list_reports", READERS),
    NavItem(_l("Alerts"), "alerts.list_alerts", READERS),
    NavItem(_l("Mail"), "mail.list_messages", ("admin",)),
    NavItem(_l("Webhooks"), "webhooks.list_endpoints", ("admin",)),
    NavItem(_l("Import"), "interchange.show_import", STAFF),
    NavItem(_l("Audit trail"), "audit_trail.list_events", READERS),
    NavItem(_l("Reference data"), "reference.list_attestation_types", READERS),
    NavItem(_l("Settings"), "settings.edit_settings", ("admin",)),
]
# The roles as pages name them (the stored value stays English).
ROLE_LABELS = {"admin": _l("admin"), "legal": _l("legal"), "auditor": _l("auditor"),
               "subcontractor": _l("subcontractor")}


def role_label(role):
    """A user role in the page's language."""
    return ROLE_LABELS.get(role, role)


def visible_items(role, view_functions):
    """Return the items `role` may see whose endpoints are registered."""
    return [
        item for item in NAV_ITEMS if role in item.roles and item.endpoint in view_functions
    ]


def _is_current(item):
    endpoint = request.endpoint or ""
    area = item.endpoint.split(".", 1)[0]
    return endpoint == item.endpoint or endpoint.split(".", 1)[0] == area


def navigation_context():
    """Give templates `nav_items` (label, endpoint, roles, is_current) for the current user."""
    if not has_request_context() or not current_user.is_authenticated:
        return {"nav_items": []}  # e-mails and PDFs rendered outside a request have no menu
    items = visible_items(current_user.role, current_app.view_functions)
    return {"nav_items": [(item, _is_current(item)) for item in items]}


def init_app(app):
    """Register the navigation context processor."""
    app.context_processor(navigation_context)
    app.add_template_filter(role_label)
