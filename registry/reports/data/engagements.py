"""Engagement rows for the compliance report: the engine's status for each engagement in scope,
with the fact that authorised it, its deadline and the severity of its findings.
"""

from collections import defaultdict

from flask_babel import lazy_gettext as _l

from registry.compliance import Severity, objection_deadline
from registry.reports.data.common import (
    ENGAGEMENT_STATUS_LABELS,
    authorisation_basis,
    engagement_status,
)

# A whole-registry report lists every engagement up to this many; beyond it, only those that are
# not authorised (per-controller reports always list every one with its authorisation date).
ENGAGEMENT_LIST_LIMIT = 2000


def engagement_rows(snapshot, controller_id, findings):
    """Return {"engagements": rows, "engagement_counts": ...} for the report's scope."""
    severities = defaultdict(dict)
    for finding in findings:
        if finding.subject_type == "engagement":
            by_controller = severities[finding.subject_id]
            known = by_controller.get(finding.controller_id, Severity.GREEN)
            by_controller[finding.controller_id] = max(known, finding.severity)
    rows = []
    for engagement in snapshot.facts.engagements:
        if controller_id is not None and engagement.controller_id not in (None, controller_id):
            continue
        status = engagement_status(snapshot, engagement, controller_id)
        if status is None or engagement.subcontractor_id not in snapshot.subcontractors:
            continue
        rows.append(_engagement_row(snapshot, engagement, controller_id, status, severities))
    total = len(rows)
    authorised = sum(1 for row in rows if row["status"] == "authorised")
    abridged = controller_id is None and total > ENGAGEMENT_LIST_LIMIT
    if abridged:
        rows = [row for row in rows if row["status"] != "authorised"]
    rows.sort(key=lambda row: (row["subcontractor"].casefold(), row["controller"].casefold()))
    return {
        "engagements": rows,
        "engagement_counts": {"total": total, "authorised": authorised, "abridged": abridged},
    }


def _deadline(snapshot, engagement, controller_id):
    dpa = snapshot.current_dpa(controller_id) if controller_id is not None else None
    deadline = objection_deadline(engagement, dpa, snapshot.today)
    if deadline is not None:
        return {"deadline": deadline, "deadline_label": _l("objections until")}
    return {"deadline": engagement.objection_deadline,
            "deadline_label": _l("approval requested by")}


def _engagement_row(snapshot, engagement, controller_id, status, severities):
    for_controller = engagement.controller_id or controller_id
    if for_controller is None:
        since, basis = None, _l("per controller's DPA")
        controller = _l("All controllers")
    else:
        dpa = snapshot.current_dpa(for_controller)
        since, basis = authorisation_basis(engagement, dpa, status, snapshot.today,
                                           snapshot.dpas_by_controller.get(for_controller, ()))
        controller = snapshot.controller_name(for_controller)
    found = severities.get(engagement.id, {})
    if for_controller is not None:
        found = {for_controller: found.get(for_controller, Severity.GREEN)}
    severity = max(found.values(), default=Severity.GREEN).value
    return {
        "subcontractor_id": engagement.subcontractor_id,
        "subcontractor": snapshot.subcontractor_name(engagement.subcontractor_id),
        "controller": controller,
        "scope_all": engagement.controller_id is None,
        "status": status,
        "status_label": ENGAGEMENT_STATUS_LABELS.get(status, status),
        "severity": severity,
        "authorised_on": since,
        "basis": basis,
        "notified_on": engagement.notified_on,
        **_deadline(snapshot, engagement, for_controller),
        "approved_on": engagement.approved_on,
        "withdrawn_on": engagement.withdrawn_on,
    }
