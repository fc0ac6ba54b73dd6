"""Rules for engagements: whether a subcontractor is authorised to process a controller's data.

A recorded date counts only once it has come: on `today`, a withdrawal, objection, approval or
notice dated later has not happened yet, so "who was authorised on date D?" can be answered.
"""

from datetime import date

from registry.compliance.dates import add_days
from registry.compliance.dpas import dpa_is_in_force
from registry.compliance.facts import ControllerFacts, DpaFacts, EngagementFacts, SubcontractorFacts
from registry.compliance.findings import Finding, make_finding

ENGAGEMENT_STATUSES = ("withdrawn", "objected", "proposed", "notified", "authorised")


def _has_happened(day: date | None, today: date) -> bool:
    return day is not None and day <= today


def is_withdrawn(engagement: EngagementFacts, today: date) -> bool:
    """Return whether the engagement has been withdrawn by `today`."""
    return _has_happened(engagement.withdrawn_on, today)


def has_general_authorisation(dpa: DpaFacts | None, today: date) -> bool:
    """Return whether `dpa` is in force and lets the processor add sub-processors on notice."""
    return (
        dpa is not None
        and dpa.subprocessor_authorisation == "general"
        and dpa_is_in_force(dpa, today)
    )


def objection_deadline(
    engagement: EngagementFacts, dpa: DpaFacts | None, today: date
) -> date | None:
    """Return the controller's last day to object, or None when no objection period runs.

    A period runs only once notice has been given under a DPA with general authorisation. The
    stored deadline applies to single-controller engagements; a scope-all notice runs for each
    controller's own DPA period.
    """
    if not _has_happened(engagement.notified_on, today):
        return None
    if not has_general_authorisation(dpa, today):
        return None
    if engagement.controller_id is not None and engagement.objection_deadline is not None:
        return engagement.objection_deadline
    return add_days(engagement.notified_on, dpa.objection_period_days)


def engagement_status(engagement: EngagementFacts, dpa: DpaFacts | None, today: date) -> str:
    """Return the derived status of an engagement for the controller whose current DPA is `dpa`.

    One of ENGAGEMENT_STATUSES. Without a current DPA the engagement is treated as under
    specific authorisation: only a written approval or the list at signing authorises it.
    """
    if is_withdrawn(engagement, today):
        return "withdrawn"
    if _has_happened(engagement.objected_on, today):
        return "objected"
    if engagement.on_list_at_signing or _has_happened(engagement.approved_on, today):
        return "authorised"
    if not _has_happened(engagement.notified_on, today):
        return "proposed"
    deadline = objection_deadline(engagement, dpa, today)
    if deadline is not None and today > deadline:
        return "authorised"
    return "notified"


def least_advanced(statuses: set[str]) -> str:
    """Return the status furthest from authorised among `statuses`."""
    return min(statuses, key=ENGAGEMENT_STATUSES.index)


def engagement_findings(
    engagement: EngagementFacts,
    status: str,
    controller: ControllerFacts,
    subcontractor: SubcontractorFacts,
    dpa: DpaFacts | None,
    today: date,
) -> list[Finding]:
    """Return the findings about an engagement of `subcontractor` for an active controller."""
    who = f"{subcontractor.name} for {controller.name}"
    findings = []
    if status == "objected":
        message = f"{controller.name} objected to {subcontractor.name} on {engagement.objected_on}"
        findings.append(_finding("engagement_objected", engagement, controller, message))
    elif status == "notified":
        deadline = objection_deadline(engagement, dpa, today)
        if deadline is None:
            # Specific authorisation: the stored date is when the processor asked for an answer.
            deadline = (
                engagement.objection_deadline if engagement.controller_id is not None else None
            )
            message = f"{who} is awaiting written approval"
        else:
            message = f"Objection period for {who} runs until {deadline}"
        findings.append(
            _finding("engagement_objection_period", engagement, controller, message, deadline)
        )
    if subcontractor.status == "active" and status not in ("authorised", "objected"):
        message = (
            f"{subcontractor.name} is active but not authorised for {controller.name} "
            f"(engagement {status})"
        )
        findings.append(_finding("engagement_unauthorised", engagement, controller, message))
    return findings


def _finding(
    code: str,
    engagement: EngagementFacts,
    controller: ControllerFacts,
    message: str,
    due_on: date | None = None,
) -> Finding:
    return make_finding(
        code,
        engagement.id,
        message,
        due_on=due_on,
        controller_id=controller.id,
        subcontractor_id=engagement.subcontractor_id,
    )
