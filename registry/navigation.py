"""The main navigation: one list of items; each shows when its endpoint exists and the role fits.

Areas add their entry to NAV_ITEMS (one line each); the order here is the order on screen.
"""

from typing import NamedTuple

from flask import current_app, has_request_context, request
from flask_login import current_user

from registry.auth.access import READERS, STAFF


class NavItem(NamedTuple):
    """One link of the main navigation."""

    label: str
    endpoint: str
    roles: tuple


NAV_ITEMS = [
    NavItem("Dashboard", "dashboard.show_dashboard", READERS),
    NavItem("Controllers", "controllers.list_controllers", READERS),
    NavItem("Subcontractors", "subcontractors.list_subcontractors", READERS),
    NavItem("Engagements", "engagements.list_engagements", READERS),
    NavItem("Incidents", "incidents.list_incidents", READERS),
    NavItem("Requests", "requests.list_subject_requests", READERS),
    NavItem("Return or deletion", "return_or_deletion.list_items", READERS),
    NavItem("Review", "review.show_queue", READERS),
    NavItem("Portal", "portal.show_portal", ("subcontractor",)),
    NavItem("Users", "admin.list_users", ("admin",)),
    NavItem("Reports", "reports.list_reports", READERS),
    NavItem("Alerts", "alerts.list_alerts", READERS),
    NavItem("Mail", "mail.list_messages", ("admin",)),
    NavItem("Import", "interchange.show_import", STAFF),
    NavItem("Audit trail", "audit_trail.list_events", READERS),
    NavItem("Reference data", "reference.list_attestation_types", READERS),
    NavItem("Settings", "settings.edit_settings", ("admin",)),
]


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
