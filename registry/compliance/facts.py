"""The input of the compliance engine: frozen snapshots of the registry's rows.

Callers (views, CLI, alerts, reports) copy model rows into these dataclasses; the rules never see
a model, a query or the clock. Every dataclass is keyword-only, because most fields are dates and
a positional mix-up between two of them would pass silently.

Clause checklists (a DPA's or a flow-down agreement's Art. 28(3) flags) are `ClauseFlags`: a tuple
of `(clause key, present)` pairs, hashable like the rest of the facts. Build one from a model's
`{key: bool}` mapping with `clauses_from_mapping`; a key that is absent counts as not present.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import TypeAlias

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


@dataclass(frozen=True, slots=True, kw_only=True)
class ControllerFacts:
    """A controller (client organisation)."""

    id: int
    name: str
    status: str

    def __post_init__(self) -> None:
        _check_choice("controller status", self.status, CONTROLLER_STATUSES)


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

    def __post_init__(self) -> None:
        _check_choice("DPA status", self.status, DPA_STATUSES)
        _check_choice("authorisation", self.subprocessor_authorisation, AUTHORISATIONS)


@dataclass(frozen=True, slots=True, kw_only=True)
class InstructionFacts:
    """One version of a documented instruction from a controller."""

    id: int
    controller_id: int
    title: str
    version: int
    received_on: date
    acknowledged_on: date | None = None
    superseded: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class SubcontractorFacts:
    """A sub-processor with its flow-down agreement and transfer arrangements."""

    id: int
    name: str
    country: str
    status: str
    risk_tier: str
    handles_card_data: bool = False
    processing_countries: tuple[str, ...] = ()
    transfer_mechanism: str | None = None
    tia_on: date | None = None
    flow_down_signed_on: date | None = None
    flow_down_clauses: ClauseFlags = ()
    breach_notice_hours: int | None = None

    def __post_init__(self) -> None:
        _check_choice("subcontractor status", self.status, SUBCONTRACTOR_STATUSES)
        _check_choice("risk tier", self.risk_tier, RISK_TIERS)


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


@dataclass(frozen=True, slots=True, kw_only=True)
class EngagementFacts:
    """That a subcontractor processes one controller's data (controller_id None: everyone's)."""

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
