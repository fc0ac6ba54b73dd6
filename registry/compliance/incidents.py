"""Rules for personal-data breaches (Art. 33(2), 28(3)(f)): deadlines to the hour, judged at `now`.

For each affected controller a notice is due at `aware_at` + the hours its DPA sets (or the
configured default, "without undue delay"): amber while due, red once the moment has passed
without a notice. A subcontractor that reports a breach later than its own promise is red too,
for as long as the incident is open. Every instant is timezone-aware; the loader gives them in
the registry's time zone, so that messages and `due_on` read as people there count days.

Arithmetic and comparisons run in UTC: Python adds and compares two datetimes of the same zone
by their wall clocks, which is an hour off across a daylight-saving change.

Facts dated after `now` have not happened at `now`: an incident not yet known raises nothing,
a notice sent later was not sent yet, an incident closed later is still open.
"""

import dataclasses
import heapq
import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from registry.compliance.facts import RegistryFacts, SubcontractorFacts
from registry.compliance.findings import Assessment, Finding, Severity, finding_order, make_finding
from registry.compliance.messages import Phrase, controller_name, say

DETECTORS = ("internal", "subcontractor")
NOTICE_STATES = ("due", "overdue", "notified", "notified_late")
HOUR = timedelta(hours=1)


def _check_aware(name: str, moment: datetime | None) -> None:
    # A naive instant compared with an aware one raises deep inside the engine; refuse it here.
    if moment is not None and moment.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, not {moment!r}")


def utc(moment: datetime) -> datetime:
    """Return an aware instant in UTC, where adding hours and comparing are exact."""
    return moment.astimezone(UTC)


def has_happened_by(moment: datetime | None, now: datetime) -> bool:
    """Return whether a recorded instant had come by `now` (None: it has not happened)."""
    return moment is not None and utc(moment) <= utc(now)


@dataclass(frozen=True, slots=True, kw_only=True)
class IncidentNoticeFacts:
    """One affected controller's notice: due at `due_at`; `hours` None means the default applied."""

    id: int
    controller_id: int
    due_at: datetime
    notified_at: datetime | None = None
    hours: int | None = None

    def __post_init__(self) -> None:
        _check_aware("due_at", self.due_at)
        _check_aware("notified_at", self.notified_at)


@dataclass(frozen=True, slots=True, kw_only=True)
class IncidentFacts:
    """A personal-data breach and its notices, one per affected controller."""

    id: int
    reference: str
    title: str
    aware_at: datetime
    detected_by: str = "internal"
    subcontractor_id: int | None = None
    subcontractor_aware_at: datetime | None = None
    closed_at: datetime | None = None
    notices: tuple[IncidentNoticeFacts, ...] = ()

    def __post_init__(self) -> None:
        if self.detected_by not in DETECTORS:
            raise ValueError(f"detected_by must be one of {', '.join(DETECTORS)}, "
                             f"not {self.detected_by!r}")
        if self.detected_by == "subcontractor" and self.subcontractor_id is None:
            raise ValueError("an incident a subcontractor reported names the subcontractor")
        for name in ("aware_at", "subcontractor_aware_at", "closed_at"):
            _check_aware(name, getattr(self, name))

    def is_open_at(self, now: datetime) -> bool:
        """Return whether the incident was known and not yet closed at `now`."""
        return has_happened_by(self.aware_at, now) and not has_happened_by(self.closed_at, now)


def notice_due_at(aware_at: datetime, hours: int | None, default_hours: int) -> datetime:
    """Return when a controller's notice is due: `hours` (its DPA's, or the default) after
    awareness, counted in real hours whatever the clocks do meanwhile."""
    due = utc(aware_at) + timedelta(hours=default_hours if hours is None else hours)
    return due.astimezone(aware_at.tzinfo)


def notice_state(notice: IncidentNoticeFacts, now: datetime) -> str:
    """Return "due", "overdue", "notified" or "notified_late" for a notice at `now`.

    The deadline itself is still in time: a notice is overdue once `now` is past `due_at`.
    """
    if has_happened_by(notice.notified_at, now):
        return "notified_late" if utc(notice.notified_at) > utc(notice.due_at) else "notified"
    return "overdue" if utc(now) > utc(notice.due_at) else "due"


def hours_left(due_at: datetime, now: datetime) -> int:
    """Return the whole hours until `due_at` (a part hour counts as one), negative once past.

    The countdown people see: 23 h 10 min left reads "24 h", 10 min late reads "-1 h".
    """
    seconds = (utc(due_at) - utc(now)).total_seconds()
    return math.ceil(seconds / 3600) if seconds >= 0 else -math.ceil(-seconds / 3600)


def report_hours(incident: IncidentFacts) -> float | None:
    """Return how many hours the subcontractor took to report (None: not a report, or unknown)."""
    if incident.detected_by != "subcontractor" or incident.subcontractor_aware_at is None:
        return None
    return (utc(incident.aware_at) - utc(incident.subcontractor_aware_at)) / HOUR


def reported_late(incident: IncidentFacts, promise_hours: int | None) -> bool:
    """Return whether the subcontractor reported later than its breach-notice promise.

    Without a promise on record nothing can be judged (the subcontractor rules flag that).
    """
    taken = report_hours(incident)
    return taken is not None and promise_hours is not None and taken > promise_hours


def _notice_finding(incident: IncidentFacts, notice: IncidentNoticeFacts,
                    controller: str | Phrase, now: datetime) -> Finding | None:
    state = notice_state(notice, now)
    if state in ("notified", "notified_late"):
        return None
    code = "incident_notice_overdue" if state == "overdue" else "incident_notice_due"
    values = {"reference": incident.reference, "controller": controller, "when": notice.due_at}
    if notice.hours is None:  # without undue delay (Art. 33(2))
        message = say(f"{code}_default", **values)
    else:
        message = say(code, hours=notice.hours, **values)
    return make_finding(code, incident.id, message, due_on=notice.due_at.date(),
                        due_at=notice.due_at, controller_id=notice.controller_id)


def _late_report_finding(incident: IncidentFacts, subcontractor: SubcontractorFacts
                         ) -> Finding | None:
    reported_on = incident.subcontractor_aware_at
    if reported_on is None:
        return None
    promise = subcontractor.as_of(reported_on.date()).breach_notice_hours
    if not reported_late(incident, promise):
        return None
    taken = math.ceil(report_hours(incident))
    return make_finding(
        "incident_subcontractor_late", incident.id,
        say("incident_subcontractor_late", subcontractor=subcontractor.name,
            reference=incident.reference, taken=taken, promised=promise),
        subcontractor_id=subcontractor.id,
    )


def incident_findings(facts: RegistryFacts, now: datetime) -> tuple[Finding, ...]:
    """Return the findings of every incident open at `now`, in the engine's order."""
    _check_aware("now", now)
    incidents = [incident for incident in facts.incidents if incident.is_open_at(now)]
    if not incidents:
        return ()
    controllers = {controller.id: controller.name for controller in facts.controllers}
    subcontractors = {subcontractor.id: subcontractor for subcontractor in facts.subcontractors}
    findings = []
    for incident in incidents:
        for notice in incident.notices:
            name = controller_name(controllers, notice.controller_id)
            finding = _notice_finding(incident, notice, name, now)
            if finding is not None:
                findings.append(finding)
        subcontractor = subcontractors.get(incident.subcontractor_id)
        if subcontractor is not None:
            finding = _late_report_finding(incident, subcontractor)
            if finding is not None:
                findings.append(finding)
    return tuple(sorted(findings, key=finding_order))


def _worsened(statuses: dict[int, Severity], findings: Iterable[Finding], attribute: str
              ) -> dict[int, Severity]:
    worse = dict(statuses)
    for finding in findings:
        subject = getattr(finding, attribute)
        if subject is not None:
            worse[subject] = max(worse.get(subject, Severity.GREEN), finding.severity)
    return worse


def with_incident_findings(assessment: Assessment, findings: tuple[Finding, ...],
                           now: datetime) -> Assessment:
    """Return `assessment` judged at `now` too: `findings` (of `incident_findings`) merged in
    order, and the controllers and subcontractors they concern worsened accordingly."""
    if not findings:
        return dataclasses.replace(assessment, now=now)
    return dataclasses.replace(
        assessment,
        now=now,
        findings=tuple(heapq.merge(assessment.findings, findings, key=finding_order)),
        controller_status=_worsened(assessment.controller_status, findings, "controller_id"),
        subcontractor_status=_worsened(assessment.subcontractor_status, findings,
                                       "subcontractor_id"),
    )


def judge_incidents(assessment: Assessment, facts: RegistryFacts, now: datetime) -> Assessment:
    """Return `assessment` with the incidents of `facts` judged at the instant `now`."""
    return with_incident_findings(assessment, incident_findings(facts, now), now)
