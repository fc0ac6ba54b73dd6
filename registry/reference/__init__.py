"""Reference data the admin maintains: attestation types, tier requirements, adequacy decisions.

Everyone on the staff side reads these pages under /reference; only admins change them, through
the pages under /admin/reference (the whole /admin area is admin-only).
"""

from flask import Blueprint

from registry.findings_links import register_subject_page

blueprint = Blueprint("reference", __name__)
register_subject_page("attestation_type", "reference.edit_attestation_type", "type_id")
register_subject_page("requirement", "reference.edit_requirement", "requirement_id")
register_subject_page("adequacy_decision", "reference.edit_adequacy_decision", "decision_id")

from registry.reference import views  # noqa: E402,F401 - registers the routes
