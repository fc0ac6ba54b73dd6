"""The audit trail page: every recorded change with who, when, and the values before and after."""

from flask import Blueprint

blueprint = Blueprint("audit_trail", __name__)

from registry.audit_trail import export_views, views  # noqa: E402,F401 - registers the routes
