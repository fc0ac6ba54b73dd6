"""Subcontractors (sub-processors): list, detail with requirements matrix, create, edit, offboard.

Also the legal staff's evidence work for a subcontractor: flow-down agreements and attestations
uploaded on its behalf, and the downloads of those documents.
"""

from flask import Blueprint

blueprint = Blueprint("subcontractors", __name__, url_prefix="/subcontractors")

from registry.subcontractors import evidence_views, links, views  # noqa: E402,F401 - routes, links
