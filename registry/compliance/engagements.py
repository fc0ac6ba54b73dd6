"""Rules for engagements: whether a subcontractor is authorised to process a controller's data.

A recorded date counts only once it has come: on `today`, a withdrawal, objection, approval or
notice dated later has not happened yet, so "who was authorised on date D?" can be answered.

Only a DPA that authorises on `today` (in force and not expired, GDPR Art. 28(2)) can make an
engagement authorised: without one, whatever was approved or notified under an earlier DPA is
"unauthorised".
"""

from dataclasses import dataclass
from datetime import date

from registry.compliance.dates import add_days
from registry.compliance.facts import (
    ControllerFacts,
    DpaFacts,
    EngagementFacts,
    SubcontractorFacts,
    has_happened,
)
from registry.compliance.findings import Finding, make_finding
from registry.compliance.messages import Phrase, say

# From least to most advanced: `least_advanced` reports the first of these among several.
ENGAGEMENT_STATUSES = (
    "withdrawn", "objected", "unauthorised", "proposed", "notified", "authorised",
)


def is_withdrawn(engagement: EngagementFacts, today: date) -> bool:
    """Return whether the engagement has been withdrawn by `today`."""
    return has_happened(engagement.withdrawn_on, today)


@dataclass(frozen=True, slots=True)
class AuthorisationTerms:
    """What an engagement's status needs to know of the controller's current DPA on one day.

    Worked out once per DPA: every engagement of the controller shares it.
    """

    # In force and not expired (GDPR Art. 28(2)): only then can anything be authorised.
    authorises: bool = False
    # General written authorisation: the processor adds sub-processors on notice.
    general: bool = False
    objection_period_days: int = 0

    @classmethod
    def of(cls, dpa: DpaFacts | None, today: date) -> "AuthorisationTerms":
        """Return the terms `dpa` (None: no DPA) sets on `today`."""
        if dpa is None or not dpa.authorises_on(today):
            return NO_AUTHORISATION
        return cls(
            authorises=True,
            general=dpa.subprocessor_authorisation == "general",
            objection_period_days=dpa.objection_period_days,
        )


NO_AUTHORISATION = AuthorisationTerms()


def has_general_authorisation(dpa: DpaFacts | None, today: date) -> bool:
    """Return whether `dpa` authorises on `today` and lets the processor add sub-processors on
    notice (general written authorisation, Art. 28(2))."""
    return AuthorisationTerms.of(dpa, today).general


def objection_deadline(
    engagement: EngagementFacts, dpa: DpaFacts | None, today: date
) -> date | None:
    """Return the controller's last day to object, or None when no objection period runs."""
    return _deadline(engagement, AuthorisationTerms.of(dpa, today), today)


def _deadline(
    engagement: EngagementFacts, terms: AuthorisationTerms, today: date
) -> date | None:
    """Return the controller's last day to object under `terms`, or None.

    A period runs only once notice has been given (and, for a notice the registry sent, been
    delivered) under a DPA with general authorisation. It is never shorter than the DPA's
    period from the day notice was given: a stored deadline that is earlier is ignored, a later
    one (a single-controller engagement's agreed date) is kept.
    """
    if not terms.general:
        return None
    given_on = engagement.notice_given_on(today)
    if given_on is None:
        return None
    earliest = add_days(given_on, terms.objection_period_days)
    stored = engagement.objection_deadline if engagement.controller_id is not None else None
    return stored if stored is not None and stored > earliest else earliest


def _objected_late(engagement: EngagementFacts, deadline: date | None, today: date) -> bool:
    """Return whether the controller objected by `today`, but after `deadline` had passed."""
    return (
        has_happened(engagement.objected_on, today)
        and deadline is not None
        and engagement.objected_on > deadline
    )


def engagement_status(engagement: EngagementFacts, dpa: DpaFacts | None, today: date) -> str:
    """Return the derived status of an engagement for the controller whose current DPA is `dpa`.

    One of ENGAGEMENT_STATUSES. An objection after the objection period is not applied (it is
    flagged for legal review instead, see `engagement_findings`).
    """
    return judge_engagement(engagement, AuthorisationTerms.of(dpa, today), today)[0]


def judge_engagement(
    engagement: EngagementFacts, terms: AuthorisationTerms, today: date
) -> tuple[str, date | None]:
    """Return the engagement's status under `terms` and its objection deadline (or None)."""
    if is_withdrawn(engagement, today):
        return "withdrawn", None
    deadline = _deadline(engagement, terms, today)
    if has_happened(engagement.objected_on, today) and not _objected_late(
        engagement, deadline, today
    ):
        return "objected", deadline
    approved = engagement.on_list_at_signing or has_happened(engagement.approved_on, today)
    if not terms.authorises:
        notified = engagement.notice_given_on(today) is not None
        return ("unauthorised" if approved or notified else "proposed"), deadline
    if approved:
        return "authorised", deadline
    if engagement.notice_given_on(today) is None:
        return "proposed", deadline
    if deadline is not None and today > deadline:
        return "authorised", deadline
    return "notified", deadline


def least_advanced(statuses: set[str]) -> str:
    """Return the status furthest from authorised among `statuses`."""
    return min(statuses, key=ENGAGEMENT_STATUSES.index)


def is_in_order(engagement: EngagementFacts, status: str) -> bool:
    """Return whether an engagement with `status` certainly raises no finding.

    The common case, decided without building the engagement's findings: authorised, never
    objected to, and on the list at signing or approved with its document.
    """
    return (
        status == "authorised"
        and engagement.objected_on is None
        and (engagement.on_list_at_signing or engagement.approval_documented)
    )


def engagement_findings(
    engagement: EngagementFacts,
    judged: tuple[str, date | None],
    controller: ControllerFacts,
    subcontractor: SubcontractorFacts,
    today: date,
) -> list[Finding]:
    """Return the findings about an engagement of `subcontractor` for an active controller,
    `judged` being its status and objection deadline (`judge_engagement`)."""
    status, deadline = judged
    names = {"controller": controller.name, "subcontractor": subcontractor.name}
    findings = []
    if status == "objected":
        message = say("engagement_objected", date=engagement.objected_on, **names)
        findings.append(_finding("engagement_objected", engagement, controller, message))
    elif status == "notified":
        if deadline is None:
            # Specific authorisation: the stored date is when the processor asked for an answer.
            asked_by = (
                engagement.objection_deadline if engagement.controller_id is not None else None
            )
            message = say("engagement_awaiting_approval", **names)
        else:
            asked_by = deadline
            message = say("engagement_objection_period", date=deadline, **names)
        findings.append(
            _finding("engagement_objection_period", engagement, controller, message, asked_by)
        )
    if _objected_late(engagement, deadline, today):
        message = say("engagement_late_objection", date=engagement.objected_on,
                      deadline=deadline, **names)
        findings.append(_finding("engagement_late_objection", engagement, controller, message))
    if (
        status == "authorised"
        and not engagement.on_list_at_signing
        and not engagement.approval_documented
        and has_happened(engagement.approved_on, today)
    ):
        message = say("engagement_approval_undocumented", **names)
        findings.append(
            _finding("engagement_approval_undocumented", engagement, controller, message)
        )
    if subcontractor.status == "active" and status not in ("authorised", "objected", "withdrawn"):
        reason = "no_dpa" if status == "unauthorised" else status  # proposed or notified
        message = say(f"engagement_unauthorised_{reason}", **names)
        findings.append(_finding("engagement_unauthorised", engagement, controller, message))
    return findings


def _finding(
    code: str,
    engagement: EngagementFacts,
    controller: ControllerFacts,
    message: Phrase,
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
