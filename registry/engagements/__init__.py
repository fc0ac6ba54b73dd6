"""Engagements: which subcontractor processes which controller's data, the notice to controllers,
their objections and approvals, and withdrawals. Statuses come from registry.compliance."""

from flask import Blueprint

from registry.findings_links import register_subject_page

blueprint = Blueprint("engagements", __name__, url_prefix="/engagements")
register_subject_page("engagement", "engagements.show_engagement", "engagement_id")

from registry.engagements import views  # noqa: E402,F401 - registers the routes
