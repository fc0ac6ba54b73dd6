"""Rules for data-subject requests (Art. 28(3)(e)) and controllers' assistance requests
(Art. 28(3)(f), (h)).

A data-subject request the processor receives is forwarded to the controller it concerns
within the DPA's `dsr_forward_days` working days (Monday to Friday): the deadline keeps the
wall-clock time of arrival in the registry's time zone, so a request received on Friday at 15:00
with 2 working days is due on Tuesday at 15:00, whatever the clocks did on the Sunday between.
It is judged to the hour, at `now`, like incident notices: amber while due, red once the
moment has passed and it was not forwarded. A request whose controller is not known yet is due
all the same ("identify the controller"). Facts dated after `now` have not happened.

An assistance request is due on a day: amber while open, red after its due day unanswered.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from registry.compliance.dates import add_working_days
from registry.compliance.facts import RegistryFacts
from registry.compliance.findings import Finding, finding_order, make_finding
from registry.compliance.incidents import has_happened_by, utc
from registry.compliance.messages import Phrase, controller_name, say

REQUEST_TYPES = ("access", "rectification", "erasure", "restriction", "portability", "objection")
REQUEST_TYPE_ARTICLES = {"access": "Art. 15", "rectification": "Art. 16", "erasure": "Art. 17",
                         "restriction": "Art. 18", "portability": "Art. 20",
                         "objection": "Art. 21"}
CHANNELS = ("email", "web_form", "phone", "letter", "in_person", "other")
ASSISTANCE_KINDS = ("dpia", "prior_consultation", "security_information", "audit")
ASSISTANCE_KIND_LABELS = {"dpia": "Data protection impact assessment (Art. 35)",
                          "prior_consultation": "Prior consultation (Art. 36)",
                          "security_information": "Security information (Art. 32)",
                          "audit": "Audit or inspection (Art. 28(3)(h))"}
FORWARD_STATES = ("due", "overdue", "forwarded", "forwarded_late")
DEFAULT_FORWARD_DAYS = 2


def _check_aware(name: str, moment: datetime | None) -> None:
    if moment is not None and moment.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, not {moment!r}")


@dataclass(frozen=True, slots=True, kw_only=True)
class SubjectRequestFacts:
    """A data-subject request: received at `received_at`, to forward by `due_at`."""

    id: int
    reference: str
    request_type: str
    received_at: datetime
    due_at: datetime
    controller_id: int | None = None
    forwarded_at: datetime | None = None
    closed_at: datetime | None = None

    def __post_init__(self) -> None:
        if self.request_type not in REQUEST_TYPES:
            raise ValueError(f"request_type must be one of {', '.join(REQUEST_TYPES)}, "
                             f"not {self.request_type!r}")
        for name in ("received_at", "due_at", "forwarded_at", "closed_at"):
            _check_aware(name, getattr(self, name))

    def is_open_at(self, now: datetime) -> bool:
        """Return whether the request had arrived and was not yet closed at `now`."""
        return has_happened_by(self.received_at, now) and not has_happened_by(self.closed_at, now)


@dataclass(frozen=True, slots=True, kw_only=True)
class AssistanceRequestFacts:
    """A controller's request for assistance, due on `due_on`."""

    id: int
    reference: str
    kind: str
    controller_id: int
    received_on: date
    due_on: date
    answered_on: date | None = None

    def __post_init__(self) -> None:
        if self.kind not in ASSISTANCE_KINDS:
            raise ValueError(f"kind must be one of {', '.join(ASSISTANCE_KINDS)}, "
                             f"not {self.kind!r}")

    def is_open_on(self, today: date) -> bool:
        """Return whether the request had arrived and was not answered by `today`."""
        return self.received_on <= today and (self.answered_on is None
                                              or self.answered_on > today)


def forward_due_at(received_at: datetime, working_days: int) -> datetime:
    """Return when a request received at `received_at` must be forwarded: the same wall-clock
    time `working_days` working days later, in the zone of `received_at`.

    A time the clocks skip on that day moves forward with them.
    """
    _check_aware("received_at", received_at)
    zone = received_at.tzinfo
    day = add_working_days(received_at.date(), working_days)
    wall = datetime.combine(day, received_at.time(), tzinfo=zone)
    return wall.astimezone(UTC).astimezone(zone)


def forward_state(request: SubjectRequestFacts, now: datetime) -> str:
    """Return "due", "overdue", "forwarded" or "forwarded_late" at `now` (the deadline itself
    is still in time)."""
    if has_happened_by(request.forwarded_at, now):
        return "forwarded_late" if utc(request.forwarded_at) > utc(request.due_at) else "forwarded"
    return "overdue" if utc(now) > utc(request.due_at) else "due"


def _request_finding(request: SubjectRequestFacts, controller: str | Phrase | None,
                     now: datetime) -> Finding | None:
    state = forward_state(request, now)
    if state not in ("due", "overdue"):
        return None
    code = f"subject_request_{state}"
    values = {"type": say(f"request_type_{request.request_type}"),
              "reference": request.reference, "when": request.due_at}
    if controller is None:
        message = say(f"{code}_identify", **values)
    else:
        message = say(f"{code}_forward", controller=controller, **values)
    return make_finding(code, request.id, message, due_on=request.due_at.date(),
                        due_at=request.due_at, controller_id=request.controller_id)


def subject_request_findings(facts: RegistryFacts, now: datetime) -> tuple[Finding, ...]:
    """Return the findings of every data-subject request open at `now`, in the engine's order."""
    _check_aware("now", now)
    names = {controller.id: controller.name for controller in facts.controllers}
    findings = []
    for request in facts.subject_requests:
        if not request.is_open_at(now):
            continue
        name = None if request.controller_id is None else controller_name(
            names, request.controller_id)
        finding = _request_finding(request, name, now)
        if finding is not None:
            findings.append(finding)
    return tuple(sorted(findings, key=finding_order))


def assistance_state(request: AssistanceRequestFacts, today: date) -> str:
    """Return "due", "overdue" or "answered" on `today` (its due day is still in time)."""
    if request.answered_on is not None and request.answered_on <= today:
        return "answered"
    return "overdue" if today > request.due_on else "due"


def assistance_findings(requests: Iterable[AssistanceRequestFacts], controllers: dict[int, str],
                        today: date) -> list[Finding]:
    """Return the findings of the assistance requests open on `today`."""
    findings = []
    for request in requests:
        if not request.is_open_on(today):
            continue
        code = ("assistance_overdue" if assistance_state(request, today) == "overdue"
                else "assistance_due")
        message = say(code, reference=request.reference,
                      kind=say(f"assistance_kind_{request.kind}"),
                      controller=controller_name(controllers, request.controller_id),
                      date=request.due_on)
        findings.append(make_finding(code, request.id, message, due_on=request.due_on,
                                     controller_id=request.controller_id))
    return findings
