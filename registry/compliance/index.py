"""Indexes built once per assessment, so that no rule scans every row for each subject."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from registry.compliance.dpas import current_dpa
from registry.compliance.engagements import is_withdrawn
from registry.compliance.facts import (
    AdequacyFacts,
    AttestationFacts,
    AttestationTypeFacts,
    ControllerFacts,
    DpaFacts,
    EngagementFacts,
    RegistryFacts,
    SubcontractorFacts,
)


@dataclass(frozen=True, slots=True)
class RegistryIndex:
    """The registry's rows looked up by id, each built once per assessment."""

    controllers: dict[int, ControllerFacts]
    active_controllers: tuple[ControllerFacts, ...]
    dpas: dict[int, list[DpaFacts]]
    current_dpas: dict[int, DpaFacts | None]
    # Active controllers grouped by their current DPA's (authorisation, objection period, whether
    # it authorises today), the only terms a scope-all engagement's status depends on; None
    # groups those without a DPA.
    active_by_terms: dict[
        tuple[str, int, bool] | None, list[tuple[ControllerFacts, DpaFacts | None]]
    ]
    subcontractors: dict[int, SubcontractorFacts]
    types: dict[str, AttestationTypeFacts]
    # Non-rejected attestations of known types: rejected ones are ignored entirely.
    attestations: dict[int, list[AttestationFacts]]
    adequacy: dict[str, list[AdequacyFacts]]


def build_index(facts: RegistryFacts, today: date) -> RegistryIndex:
    """Return the rows of `facts` indexed by id, with each controller's current DPA on `today`."""
    dpas: dict[int, list[DpaFacts]] = defaultdict(list)
    for dpa in facts.dpas:
        dpas[dpa.controller_id].append(dpa)
    types = {
        attestation_type.code: attestation_type for attestation_type in facts.attestation_types
    }
    attestations: dict[int, list[AttestationFacts]] = defaultdict(list)
    for attestation in facts.attestations:
        if counts_as_evidence(attestation, types, today):
            attestations[attestation.subcontractor_id].append(attestation)
    adequacy: dict[str, list[AdequacyFacts]] = defaultdict(list)
    for decision in facts.adequacy:
        adequacy[decision.country_code.strip().upper()].append(decision)
    current_dpas = {
        controller.id: current_dpa(dpas[controller.id], today) for controller in facts.controllers
    }
    active_controllers = tuple(c for c in facts.controllers if c.is_active_on(today))
    return RegistryIndex(
        controllers={controller.id: controller for controller in facts.controllers},
        active_controllers=active_controllers,
        dpas=dpas,
        current_dpas=current_dpas,
        active_by_terms=group_by_terms(active_controllers, current_dpas, today),
        subcontractors={subcontractor.id: subcontractor for subcontractor in facts.subcontractors},
        types=types,
        attestations=attestations,
        adequacy=adequacy,
    )


def counts_as_evidence(attestation: AttestationFacts, types: dict[str, AttestationTypeFacts],
                       today: date) -> bool:
    """Return whether an attestation is indexed: it existed on `today` (issued after it, it
    counts for nothing), was not rejected (rejected ones are ignored entirely) and is of a
    known type."""
    return (attestation.exists_on(today) and attestation.review != "rejected"
            and attestation.type_code in types)


def group_by_terms(
    active_controllers: tuple[ControllerFacts, ...],
    current_dpas: dict[int, DpaFacts | None],
    today: date,
) -> dict[tuple[str, int, bool] | None, list[tuple[ControllerFacts, DpaFacts | None]]]:
    groups = defaultdict(list)
    for controller in active_controllers:
        dpa = current_dpas[controller.id]
        terms = None if dpa is None else (
            dpa.subprocessor_authorisation, dpa.objection_period_days, dpa.authorises_on(today))
        groups[terms].append((controller, dpa))
    return dict(groups)


@dataclass(frozen=True, slots=True)
class Reach:
    """Whose data each subcontractor processes, through engagements not withdrawn."""

    subcontractors_by_controller: dict[int, set[int]]
    controllers_by_subcontractor: dict[int, set[int]]
    scope_all: frozenset[int]


def build_reach(
    engagements: Iterable[EngagementFacts], index: RegistryIndex, today: date
) -> Reach:
    """Return whose data each subcontractor processes on `today` (active controllers only)."""
    by_controller: dict[int, set[int]] = defaultdict(set)
    by_subcontractor: dict[int, set[int]] = defaultdict(set)
    scope_all = set()
    active = {controller.id for controller in index.active_controllers}
    for engagement in engagements:
        if (
            is_withdrawn(engagement, today)
            or engagement.subcontractor_id not in index.subcontractors
        ):
            continue
        if engagement.controller_id is None:
            scope_all.add(engagement.subcontractor_id)
        elif engagement.controller_id in active:
            by_controller[engagement.controller_id].add(engagement.subcontractor_id)
            by_subcontractor[engagement.subcontractor_id].add(engagement.controller_id)
    return Reach(by_controller, by_subcontractor, frozenset(scope_all))
