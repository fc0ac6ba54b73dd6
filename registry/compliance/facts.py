"""The input of the compliance engine: frozen snapshots of the registry's rows.

Callers (views, CLI, alerts, reports) copy model rows into these dataclasses; the rules never see
a model, a query or the clock. Every fact is keyword-only, because most fields are dates and
a positional mix-up between two of them would pass silently.

Clause checklists (a DPA's or a flow-down agreement's Art. 28(3) flags) are `ClauseFlags`: a tuple
of `(clause key, present)` pairs, hashable like the rest of the facts. Build one from a model's
`{key: bool}` mapping with `clauses_from_mapping`; a key that is absent counts as not present.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, fields, replace
from datetime import date
from enum import StrEnum
from functools import cache
from typing import NamedTuple, TypeAlias

ClauseFlags: TypeAlias = tuple[tuple[str, bool], ...]


class ClauseKey(StrEnum):
    """One mandatory Art. 28(3) clause: equal to its key string, with its letter and label."""

    letter: str
    label: str

    def __new__(cls, key: str, letter: str, label: str) -> "ClauseKey":
        member = str.__new__(cls, key)
        member._value_ = key
        member.letter = letter
        member.label = label
        return member

    DOCUMENTED_INSTRUCTIONS = ("documented_instructions", "a", "documented instructions only")
    CONFIDENTIALITY = ("confidentiality", "b", "confidentiality of authorised persons")
    SECURITY_ART32 = ("security_art32", "c", "security measures (Art. 32)")
    SUBPROCESSOR_CONDITIONS = ("subprocessor_conditions", "d", "conditions for sub-processors")
    DATA_SUBJECT_RIGHTS = ("data_subject_rights", "e", "assistance with data subject rights")
    ASSIST_ART32_36 = ("assist_art32_36", "f", "assistance with Art. 32-36 obligations")
    DELETION_OR_RETURN = ("deletion_or_return", "g", "deletion or return at the end")
    AUDITS_AND_INFORMATION = ("audits_and_information", "h", "audits and information")


CLAUSE_KEYS: tuple[ClauseKey, ...] = tuple(ClauseKey)

CONTROLLER_STATUSES = ("active", "ended")
DPA_STATUSES = ("draft", "signed", "terminated", "superseded")
AUTHORISATIONS = ("general", "specific")
SUBCONTRACTOR_STATUSES = ("proposed", "active", "offboarded")
RISK_TIERS = ("low", "medium", "high")
REVIEW_STATES = ("pending", "accepted", "rejected")
VALIDITY_BASES = ("issued_on", "period_end")


def clauses_from_mapping(flags: Mapping[str, bool]) -> ClauseFlags:
    """Return the clause flags of a `{key: present}` mapping in Art. 28(3) order."""
    unknown = set(flags) - set(CLAUSE_KEYS)
    if unknown:
        raise ValueError(f"unknown clause keys: {', '.join(sorted(unknown))}")
    return tuple((str(key), bool(flags.get(key, False))) for key in CLAUSE_KEYS)


def missing_clauses(clauses: ClauseFlags) -> tuple[ClauseKey, ...]:
    """Return the mandatory clauses that are not marked present, in Art. 28(3) order."""
    present = {key for key, is_present in clauses if is_present}
    return tuple(key for key in CLAUSE_KEYS if key not in present)


def _check_choice(name: str, value: object, choices: tuple[str, ...]) -> None:
    # A misspelt status would otherwise be read as "not active" and silence every rule.
    if value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(choices)}, not {value!r}")


# The Art. 28(3) first sentence: what the contract must set out, besides the clauses (a)-(h).
DESCRIPTION_ELEMENTS: tuple[tuple[str, str], ...] = (
    ("subject_matter", "subject matter"),
    ("duration", "duration"),
    ("nature_and_purpose", "nature and purpose"),
    ("personal_data_types", "type of personal data"),
    ("data_subject_categories", "categories of data subjects"),
)


ALL_DESCRIBED = tuple((key, True) for key, _ in DESCRIPTION_ELEMENTS)


def has_happened(day: date | None, today: date) -> bool:
    """Return whether a recorded day has come by `today` (None: it has not happened)."""
    return day is not None and day <= today


@dataclass(frozen=True, slots=True, kw_only=True)
class ControllerFacts:
    """A controller (client organisation); `ended_on` is the first day it is no longer a client."""

    id: int
    name: str
    status: str
    ended_on: date | None = None

    def __post_init__(self) -> None:
        _check_choice("controller status", self.status, CONTROLLER_STATUSES)

    def is_active_on(self, day: date) -> bool:
        """Return whether the controller is still a client on `day`.

        An end date decides, whatever the status says (an end date after `day` had not come yet);
        an ended controller without a date is taken as ended all along.
        """
        if self.ended_on is not None:
            return day < self.ended_on
        return self.status == "active"


@dataclass(frozen=True, slots=True, kw_only=True)
class DpaFacts:
    """One version of a data processing agreement with one controller."""

    id: int
    controller_id: int
    version: int
    title: str
    status: str
    subprocessor_authorisation: str
    signed_on: date | None = None
    effective_from: date | None = None
    expires_on: date | None = None
    review_due_on: date | None = None
    terminated_on: date | None = None
    clauses: ClauseFlags = ()
    objection_period_days: int = 30
    breach_notice_hours: int | None = None
    # Art. 28(3)(g): what happens to the data at the end, and how many days after it.
    return_or_deletion: str | None = None
    return_or_deletion_days: int = 30
    # Which Art. 28(3) description elements the DPA sets out: (element key, present) pairs.
    description: tuple[tuple[str, bool], ...] = ALL_DESCRIBED
    document_attached: bool = True

    def __post_init__(self) -> None:
        _check_choice("DPA status", self.status, DPA_STATUSES)
        _check_choice("authorisation", self.subprocessor_authorisation, AUTHORISATIONS)

    def is_in_force_on(self, day: date) -> bool:
        """Return whether the DPA binds on `day`: signed by then, started, not yet terminated.

        Status is read as of `day` too: a DPA terminated or superseded later was in force before
        (a termination without a date ends it at once; a successor in force outranks it by
        version). A DPA whose signing date is unknown or still to come is not in force. Expiry is
        not considered here: an expired DPA stays the current one, reported red, and authorises
        nothing (`authorises_on`).
        """
        return self.is_binding_on(day) and (
            self.effective_from is None or self.effective_from <= day
        )

    def is_binding_on(self, day: date) -> bool:
        """Return whether, by what had happened on `day`, the DPA is signed and not ended (it
        may start later)."""
        return (
            self.status in ("signed", "terminated", "superseded")
            and has_happened(self.signed_on, day)
            and not has_happened(self.terminated_on, day)
            and not (self.status == "terminated" and self.terminated_on is None)
        )

    def authorises_on(self, day: date) -> bool:
        """Return whether the DPA can authorise processing on `day`: in force and not expired."""
        return self.is_in_force_on(day) and (self.expires_on is None or day <= self.expires_on)

    def missing_description(self) -> tuple[str, ...]:
        """Return the labels of the Art. 28(3) description elements the DPA leaves empty."""
        present = {key for key, is_present in self.description if is_present}
        return tuple(label for key, label in DESCRIPTION_ELEMENTS if key not in present)


@dataclass(frozen=True, slots=True, kw_only=True)
class InstructionFacts:
    """One version of a documented instruction from a controller."""

    id: int
    controller_id: int
    title: str
    version: int
    received_on: date
    acknowledged_on: date | None = None
    # The day the next version was received: from then on this one is superseded.
    superseded_on: date | None = None

    def is_current_on(self, day: date) -> bool:
        """Return whether this version was received by `day` and not yet superseded on it."""
        return self.received_on <= day and not has_happened(self.superseded_on, day)


@dataclass(frozen=True, slots=True, kw_only=True)
class FlowDownFacts:
    """One back-to-back (flow-down) agreement with a subcontractor (Art. 28(4))."""

    id: int
    signed_on: date | None
    terminated_on: date | None = None
    clauses: ClauseFlags = ()
    document_attached: bool = True

    def is_in_force_on(self, day: date) -> bool:
        """Return whether the agreement was signed by `day` and not yet terminated on it."""
        return has_happened(self.signed_on, day) and not has_happened(self.terminated_on, day)


@dataclass(frozen=True, slots=True, kw_only=True)
class SubcontractorPastFacts:
    """What a subcontractor's dated facts were until `valid_until` (inclusive)."""

    valid_until: date
    status: str
    risk_tier: str
    country: str
    processing_countries: tuple[str, ...] = ()
    transfer_mechanism: str | None = None
    tia_on: date | None = None
    handles_card_data: bool = False
    breach_notice_hours: int | None = None
    parent_id: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class SubcontractorFacts:
    """A sub-processor with its flow-down agreements, transfer arrangements and the history of
    its dated facts (`history`, oldest record first)."""

    id: int
    name: str
    country: str
    status: str
    risk_tier: str
    handles_card_data: bool = False
    processing_countries: tuple[str, ...] = ()
    transfer_mechanism: str | None = None
    tia_on: date | None = None
    flow_downs: tuple[FlowDownFacts, ...] = ()
    breach_notice_hours: int | None = None
    history: tuple[SubcontractorPastFacts, ...] = ()
    # The sub-processor that engages this one (a chain); None: the processor engages it.
    parent_id: int | None = None

    def __post_init__(self) -> None:
        _check_choice("subcontractor status", self.status, SUBCONTRACTOR_STATUSES)
        _check_choice("risk tier", self.risk_tier, RISK_TIERS)

    def as_of(self, day: date) -> "SubcontractorFacts":
        """Return the subcontractor with the dated facts it had on `day`.

        The record that covers `day` is the one with the earliest `valid_until` on or after it
        (of several made the same day, the first: it holds the values before that day's
        changes); with none, the current values apply.
        """
        covering = [past for past in self.history if past.valid_until >= day]
        if not covering:
            return self
        past = min(covering, key=lambda record: record.valid_until)
        return replace(
            self, status=past.status, risk_tier=past.risk_tier, country=past.country,
            processing_countries=past.processing_countries,
            transfer_mechanism=past.transfer_mechanism, tia_on=past.tia_on,
            handles_card_data=past.handles_card_data,
            breach_notice_hours=past.breach_notice_hours, history=(), parent_id=past.parent_id,
        )

    def flow_down_on(self, day: date) -> FlowDownFacts | None:
        """Return the latest flow-down agreement in force on `day`, or None."""
        in_force = [agreement for agreement in self.flow_downs if agreement.is_in_force_on(day)]
        return max(in_force, key=lambda agreement: (agreement.signed_on, agreement.id),
                   default=None)


@dataclass(frozen=True, slots=True, kw_only=True)
class AttestationTypeFacts:
    """A kind of evidence and how long one of its kind stays valid."""

    code: str
    name: str
    validity_basis: str
    default_validity_months: int | None = None
    counts_for_requirements: bool = True
    bridge_letter_after_months: int | None = None

    def __post_init__(self) -> None:
        _check_choice("validity basis", self.validity_basis, VALIDITY_BASES)


@dataclass(frozen=True, slots=True, kw_only=True)
class AttestationFacts:
    """One piece of security evidence from a subcontractor, with its review state."""

    id: int
    subcontractor_id: int
    type_code: str
    review: str
    issued_on: date | None = None
    period_start: date | None = None
    period_end: date | None = None
    valid_until: date | None = None
    bridge_letter_until: date | None = None
    standard_version: str | None = None

    def __post_init__(self) -> None:
        _check_choice("review", self.review, REVIEW_STATES)

    def exists_on(self, day: date) -> bool:
        """Return whether the evidence existed on `day`: issued, and its period over, by then.

        The evidence's own dates decide, not when its row was written: an import of last
        year's certificates still answers for last year.
        """
        return not any(
            moment is not None and moment > day for moment in (self.issued_on, self.period_end)
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class RequirementGroupFacts:
    """A group of acceptable attestation types; any one of them satisfies the group."""

    key: str
    label: str
    tier: str | None
    applies_to_card_data: bool
    type_codes: tuple[str, ...]

    def __post_init__(self) -> None:
        if self.tier is not None:
            _check_choice("requirement tier", self.tier, RISK_TIERS)

    def applies_to(self, subcontractor: SubcontractorFacts) -> bool:
        """Return whether the group is required of `subcontractor`."""
        return self.tier == subcontractor.risk_tier or (
            self.applies_to_card_data and subcontractor.handles_card_data
        )


class _EngagementRow(NamedTuple):
    id: int
    subcontractor_id: int
    controller_id: int | None
    on_list_at_signing: bool = False
    proposed_on: date | None = None
    notified_on: date | None = None
    objection_deadline: date | None = None
    objected_on: date | None = None
    approved_on: date | None = None
    withdrawn_on: date | None = None
    # A written approval is written only with its document (or a recorded confirmation).
    approval_documented: bool = True
    # Notices sent through the registry record their delivery; one that was not delivered (yet)
    # starts no objection period. Notices recorded from outside (imports) count as given.
    notice_tracked: bool = False
    notice_delivered_on: date | None = None


class EngagementFacts(_EngagementRow):
    """That a subcontractor processes one controller's data (controller_id None: everyone's).

    A named tuple rather than a dataclass: the registry holds ten times more engagements than
    anything else, and a tuple is built from a database row six times faster. Still keyword-only
    (`__new__` takes no positional values) and immutable, like every other fact.
    """

    __slots__ = ()

    def __new__(cls, **values: object) -> "EngagementFacts":
        return super().__new__(cls, **values)

    def notice_given_on(self, day: date) -> date | None:
        """Return the day the objection period started, if notice had been given by `day`."""
        if not has_happened(self.notified_on, day):
            return None
        if not self.notice_tracked:
            return self.notified_on
        if not has_happened(self.notice_delivered_on, day):
            return None
        return max(self.notified_on, self.notice_delivered_on)


@dataclass(frozen=True, slots=True, kw_only=True)
class AdequacyFacts:
    """A Commission adequacy decision for one country."""

    country_code: str
    decided_on: date
    valid_until: date | None = None

    def in_force_on(self, day: date) -> bool:
        """Return whether the decision covers transfers on `day`."""
        return self.decided_on <= day and (self.valid_until is None or day <= self.valid_until)


@dataclass(frozen=True, slots=True, kw_only=True)
class RegistryFacts:
    """Everything the engine needs: every row of every kind, as tuples."""

    controllers: tuple[ControllerFacts, ...] = ()
    dpas: tuple[DpaFacts, ...] = ()
    instructions: tuple[InstructionFacts, ...] = ()
    subcontractors: tuple[SubcontractorFacts, ...] = ()
    attestation_types: tuple[AttestationTypeFacts, ...] = ()
    attestations: tuple[AttestationFacts, ...] = ()
    requirement_groups: tuple[RequirementGroupFacts, ...] = ()
    engagements: tuple[EngagementFacts, ...] = ()
    adequacy: tuple[AdequacyFacts, ...] = ()
    incidents: tuple = ()  # registry.compliance.incidents.IncidentFacts
    # registry.compliance.return_or_deletion.ReturnOrDeletionEvidenceFacts
    return_or_deletion: tuple = ()
    subject_requests: tuple = ()  # registry.compliance.requests.SubjectRequestFacts
    assistance_requests: tuple = ()  # registry.compliance.requests.AssistanceRequestFacts


def from_rows(cls: type, rows: Iterable[tuple]) -> tuple:
    """Return one `cls` per row, each row holding the values of `cls`'s fields in order.

    The same objects the keyword constructor makes, faster: a named tuple's row is taken as it
    is; the dataclass `__init__` of a frozen class sets each field through
    `object.__setattr__`, which costs more than the rest of loading a row, so its slots are set
    directly. Only for classes with nothing to check in `__post_init__`.
    """
    return tuple(map(_row_constructor(cls), rows))


@cache
def _row_constructor(cls: type) -> Callable[[tuple], object]:
    if hasattr(cls, "__post_init__"):
        raise TypeError(f"{cls.__name__} checks its values: use its constructor")
    if issubclass(cls, tuple):
        count = len(cls._fields)
        setters = None
    else:
        setters = [getattr(cls, field.name).__set__ for field in fields(cls)]
        count = len(setters)

    def construct(row: tuple, new=object.__new__, setters=setters) -> object:
        if len(row) != count:
            raise ValueError(f"{cls.__name__} has {count} fields, the row {len(row)} values")
        if setters is None:
            return tuple.__new__(cls, row)
        instance = new(cls)
        for set_field, value in zip(setters, row, strict=True):
            set_field(instance, value)
        return instance

    return construct
