"""Whether a subcontractor is ready to be announced to controllers, read from the snapshot.

A notice tells controllers that a subcontractor will process their data. Announcing one with no
flow-down (back-to-back) agreement, or without the evidence its requirements ask for, is
allowed (the controller's objection period may matter more) but never unwarned: the notify
actions show these gaps and send only once the person confirms.
"""

from registry.checks import current_snapshot

# Finding codes that make a notice premature: the Art. 28(4) agreement and required evidence.
NOTICE_GAP_CODES = frozenset({
    "flow_down_missing", "flow_down_clause_missing", "requirement_missing",
    "requirement_expired",
})
CONFIRM_FIELD = "send_despite_gaps"


def notice_gaps(subcontractor_id, snapshot=None):
    """Return the findings (worst first) that should hold a notice about the subcontractor."""
    snapshot = snapshot or current_snapshot()
    return [finding for finding in
            snapshot.assessment.findings_for_subcontractor(subcontractor_id)
            if finding.base_code in NOTICE_GAP_CODES]


def confirmed(form):
    """Tell whether the person confirmed sending despite the gaps (the warning page's button)."""
    return form.get(CONFIRM_FIELD) == "yes"
