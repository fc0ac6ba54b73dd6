"""The engine's output: severities, findings, every finding code, and the assessment."""

import enum
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import NamedTuple

from registry.compliance.facts import CLAUSE_KEYS
from registry.compliance.messages import Phrase, render

AREAS = ("dpas", "instructions", "subcontractors", "engagements", "incidents", "requests",
         "return_or_deletion")


class Severity(enum.Enum):
    """How urgent a finding is; GREEN < AMBER < RED, so `max` is the worst."""

    GREEN = "green"
    AMBER = "amber"
    RED = "red"

    def __init__(self, value: str) -> None:
        # A plain attribute, not a lookup: statuses compare severities once per finding.
        self.rank = ("green", "amber", "red").index(value)

    def __lt__(self, other: "Severity") -> bool:
        return self.rank < other.rank

    def __le__(self, other: "Severity") -> bool:
        return self.rank <= other.rank

    def __gt__(self, other: "Severity") -> bool:
        return self.rank > other.rank

    def __ge__(self, other: "Severity") -> bool:
        return self.rank >= other.rank


def worst(severities: Iterable[Severity]) -> Severity:
    """Return the worst of `severities`, GREEN when there are none."""
    return max(severities, default=Severity.GREEN)


class FindingCode(NamedTuple):
    """What a finding code means: its severity, area, subject type and a one-line description."""

    severity: Severity
    area: str
    subject_type: str
    description: str

    @property
    def label(self) -> str:
        """Return the description for people: without the code's ` (:<suffix>)` notation."""
        head, _, _suffix = self.description.partition(" (:<")
        return head


RED, AMBER = Severity.RED, Severity.AMBER

# Codes ending in ":<...>" in the description carry that suffix in Finding.code; the key here is
# the part before the colon (Finding.base_code). Subcontractor findings of a proposed
# subcontractor are downgraded to amber whatever the severity listed here.
FINDING_CODES: dict[str, FindingCode] = {
    "dpa_missing": FindingCode(
        RED, "dpas", "controller", "Active controller has no signed DPA in force"
    ),
    "dpa_expired": FindingCode(RED, "dpas", "dpa", "Current DPA's expiry date has passed"),
    "dpa_expiring": FindingCode(
        AMBER, "dpas", "dpa", "Current DPA expires within the alert horizon"
    ),
    "dpa_clause_missing": FindingCode(
        RED, "dpas", "dpa", "Current DPA lacks a mandatory Art. 28(3) clause (:<clause key>)"
    ),
    "dpa_review_due": FindingCode(AMBER, "dpas", "dpa", "Current DPA's review date has passed"),
    "dpa_description_missing": FindingCode(
        RED, "dpas", "dpa", "Current DPA lacks part of the Art. 28(3) description"
    ),
    "dpa_document_missing": FindingCode(
        AMBER, "dpas", "dpa", "Current DPA is signed but its signed copy is not attached"
    ),
    "instruction_unacknowledged": FindingCode(
        AMBER, "instructions", "instruction", "Instruction not acknowledged within 5 working days"
    ),
    "attestation_awaiting_review": FindingCode(
        AMBER, "subcontractors", "attestation", "Uploaded attestation waits for review"
    ),
    "attestation_expired": FindingCode(
        RED, "subcontractors", "attestation", "Accepted attestation is past its valid-until date"
    ),
    "attestation_expiring": FindingCode(
        AMBER, "subcontractors", "attestation", "Accepted attestation lapses within the horizon"
    ),
    "attestation_bridge_letter_needed": FindingCode(
        AMBER, "subcontractors", "attestation", "Type II report needs a current bridge letter"
    ),
    "attestation_bridge_letter_expiring": FindingCode(
        AMBER, "subcontractors", "attestation", "Bridge letter ends within the horizon"
    ),
    "attestation_undatable": FindingCode(
        AMBER, "subcontractors", "attestation", "Accepted attestation lacks the date its "
        "validity counts from, so it counts for nothing"
    ),
    "requirement_missing": FindingCode(
        RED, "subcontractors", "subcontractor", "No accepted attestation for a group (:<group>)"
    ),
    "requirement_expired": FindingCode(
        RED, "subcontractors", "subcontractor", "Group's accepted attestations lapsed (:<group>)"
    ),
    "flow_down_missing": FindingCode(
        RED, "subcontractors", "subcontractor", "No signed flow-down agreement (Art. 28(4))"
    ),
    "flow_down_clause_missing": FindingCode(
        RED, "subcontractors", "subcontractor", "Flow-down agreement lacks a clause (:<clause key>)"
    ),
    "flow_down_document_missing": FindingCode(
        AMBER, "subcontractors", "subcontractor", "Flow-down agreement's signed copy not attached"
    ),
    "transfer_mechanism_missing": FindingCode(
        RED, "subcontractors", "subcontractor", "Processing outside the EEA without a mechanism"
    ),
    "transfer_mechanism_invalid": FindingCode(
        RED, "subcontractors", "subcontractor", "Transfer mechanism does not cover the transfer"
    ),
    "breach_notice_too_long": FindingCode(
        RED, "subcontractors", "subcontractor", "Breach-notice promise longer than a DPA allows"
    ),
    "breach_notice_unrecorded": FindingCode(
        AMBER, "subcontractors", "subcontractor", "No breach-notice promise on record while a "
        "DPA sets hours"
    ),
    "engagement_objected": FindingCode(
        RED, "engagements", "engagement", "Controller objected to the subcontractor"
    ),
    "engagement_objection_period": FindingCode(
        AMBER, "engagements", "engagement", "Notified; objection period or approval pending"
    ),
    "engagement_unauthorised": FindingCode(
        RED, "engagements", "engagement", "Active subcontractor not authorised for controller"
    ),
    "engagement_chain_unauthorised": FindingCode(
        RED, "engagements", "subcontractor", "Sub-processor of a sub-processor processes a "
        "controller's data without the controller's authorisation (Art. 28(2), (4))"
    ),
    "engagement_late_objection": FindingCode(
        AMBER, "engagements", "engagement", "Controller objected after the objection period: "
        "for legal review"
    ),
    "engagement_approval_undocumented": FindingCode(
        AMBER, "engagements", "engagement", "Written approval recorded without its document"
    ),
    "incident_notice_due": FindingCode(
        AMBER, "incidents", "incident", "Breach notice to a controller is due (hour deadline)"
    ),
    "incident_notice_overdue": FindingCode(
        RED, "incidents", "incident", "Breach notice to a controller is past its deadline"
    ),
    "incident_subcontractor_late": FindingCode(
        RED, "incidents", "incident", "Subcontractor reported a breach later than it promised"
    ),
    # Subject: the controller whose contract ended, or (subject type "engagement") the
    # engagement withdrawn; registry.compliance.return_or_deletion.finding_item_key names it.
    "return_or_deletion_due": FindingCode(
        AMBER, "return_or_deletion", "controller", "Data to return or delete at the end of a "
        "contract or engagement, with a certificate (Art. 28(3)(g))"
    ),
    "return_or_deletion_overdue": FindingCode(
        RED, "return_or_deletion", "controller", "Return or deletion past its due date without "
        "a completed certificate"
    ),
    "subject_request_due": FindingCode(
        AMBER, "requests", "subject_request", "Data-subject request to forward (hour deadline)"
    ),
    "subject_request_overdue": FindingCode(
        RED, "requests", "subject_request", "Data-subject request not forwarded in time"
    ),
    "assistance_due": FindingCode(
        AMBER, "requests", "assistance_request", "Assistance request to answer"
    ),
    "assistance_overdue": FindingCode(
        RED, "requests", "assistance_request", "Assistance request past its due date"
    ),
}


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing that is wrong or due, about one subject.

    `message` is the English sentence (the CLI, JSON, API, webhooks and exports show it);
    `message_key` and `params` are the same sentence as a message variant and its values
    (registry.compliance.messages), which pages, PDF reports and e-mails render in their
    reader's language (registry.i18n.finding_text). A finding rebuilt from stored text alone
    (an alert's details from before variants existed) has an empty `message_key`.
    """

    severity: Severity
    code: str
    subject_type: str
    subject_id: int
    message: str
    due_on: date | None
    controller_id: int | None
    subcontractor_id: int | None
    area: str
    # Hour-precision deadlines (incidents) carry the instant too; `due_on` is its local day.
    due_at: datetime | None = None
    message_key: str = ""
    params: tuple[tuple[str, object], ...] = ()

    @property
    def phrase(self) -> Phrase | None:
        """Return the message as a variant and its values, or None for stored text alone."""
        return Phrase(self.message_key, self.params) if self.message_key else None

    @property
    def base_code(self) -> str:
        """Return the code without its `:<key>` suffix, the key of FINDING_CODES."""
        return self.code.partition(":")[0]


def make_finding(
    code: str,
    subject_id: int,
    message: Phrase | str,
    *,
    due_on: date | None = None,
    due_at: datetime | None = None,
    controller_id: int | None = None,
    subcontractor_id: int | None = None,
) -> Finding:
    """Return a finding whose severity, area and subject type come from FINDING_CODES.

    The rules pass their message as a `Phrase` (`registry.compliance.messages.say`); plain text
    is for a finding rebuilt from what was stored of an earlier one.
    """
    meaning = FINDING_CODES[code.partition(":")[0]]
    phrase = message if isinstance(message, Phrase) else None
    return Finding(
        severity=meaning.severity,
        code=code,
        subject_type=meaning.subject_type,
        subject_id=subject_id,
        message=render(phrase) if phrase is not None else message,
        due_on=due_on,
        controller_id=controller_id,
        subcontractor_id=subcontractor_id,
        area=meaning.area,
        due_at=due_at,
        message_key=phrase.key if phrase is not None else "",
        params=phrase.params if phrase is not None else (),
    )


# Missing clauses are listed (a) to (h), as the Art. 28(3) checklist reads, not alphabetically.
_CLAUSE_RANK = {f"dpa_clause_missing:{key}": rank for rank, key in enumerate(CLAUSE_KEYS)}


def finding_order(finding: Finding) -> tuple:
    # Red first, then the earliest due date (undated last), then stable by code and subject.
    return (
        -finding.severity.rank,
        finding.due_on is None,
        finding.due_on or date.min,
        finding.base_code,
        _CLAUSE_RANK.get(finding.code, -1),
        finding.code,
        finding.subject_type,
        finding.subject_id,
        finding.controller_id or 0,
    )


def sort_findings(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    """Return `findings` red first, then by due date."""
    return tuple(sorted(findings, key=finding_order))


class RequirementStatus(NamedTuple):
    """How one requirement group stands for one subcontractor.

    `valid_until` is the last day the group stays satisfied (for a Type II report the bridge
    letter is taken into account); for an 'expired' group it is the day the last match lapsed.
    """

    group_key: str
    label: str
    satisfied_by: int | None
    valid_until: date | None
    state: str


@dataclass(frozen=True, slots=True)
class Assessment:
    """Everything `assess` found, with the statuses derived from it.

    `engagement_status` maps an engagement id to its derived status; a scope-all engagement is
    also keyed `(engagement_id, controller_id)` per active controller, and its plain id holds the
    least advanced of those statuses. `controller_subcontractors` lists, per active controller,
    the subcontractors processing its data: engaged for it (not withdrawn, scope-all included)
    and those their chains pass the data on to.
    """

    today: date
    horizon_days: int
    findings: tuple[Finding, ...]
    controller_status: dict[int, Severity]
    subcontractor_status: dict[int, Severity]
    engagement_status: dict[int | tuple[int, int], str]
    requirement_matrix: dict[int, tuple[RequirementStatus, ...]]
    controller_subcontractors: dict[int, tuple[int, ...]]
    # The instant hour-precision deadlines were judged at (None: they were not judged).
    now: datetime | None = None
    _by_controller: dict[int, list[Finding]] = field(init=False, repr=False, compare=False)
    _by_subcontractor: dict[int, list[Finding]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_controller: dict[int, list[Finding]] = defaultdict(list)
        by_subcontractor: dict[int, list[Finding]] = defaultdict(list)
        for finding in self.findings:
            if finding.controller_id is not None:
                by_controller[finding.controller_id].append(finding)
            if finding.subcontractor_id is not None:
                by_subcontractor[finding.subcontractor_id].append(finding)
        object.__setattr__(self, "_by_controller", dict(by_controller))
        object.__setattr__(self, "_by_subcontractor", dict(by_subcontractor))

    def findings_for_controller(self, controller_id: int) -> tuple[Finding, ...]:
        """Return the findings about a controller's DPAs, instructions and engagements."""
        return tuple(self._by_controller.get(controller_id, ()))

    def findings_for_subcontractor(self, subcontractor_id: int) -> tuple[Finding, ...]:
        """Return the findings about a subcontractor, its attestations and its engagements."""
        return tuple(self._by_subcontractor.get(subcontractor_id, ()))

    def counts_by_area(self) -> dict[str, dict[Severity, int]]:
        """Return the number of red and amber findings per area (every area present)."""
        counts = {area: {Severity.RED: 0, Severity.AMBER: 0} for area in AREAS}
        for finding in self.findings:
            counts[finding.area][finding.severity] += 1
        return counts
