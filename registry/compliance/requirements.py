"""Rules for requirement groups: which evidence a subcontractor owes, and whether it is there."""

from collections.abc import Iterable
from datetime import date

from registry.compliance.attestations import attestation_counts_until
from registry.compliance.dates import Horizon
from registry.compliance.facts import (
    AttestationFacts,
    AttestationTypeFacts,
    RequirementGroupFacts,
    SubcontractorFacts,
)
from registry.compliance.findings import Finding, RequirementStatus, make_finding
from registry.compliance.messages import say


def requirement_statuses(
    subcontractor: SubcontractorFacts,
    groups: Iterable[RequirementGroupFacts],
    attestations: Iterable[AttestationFacts],
    types: dict[str, AttestationTypeFacts],
    horizon: Horizon,
) -> tuple[RequirementStatus, ...]:
    """Return how each requirement group that applies to `subcontractor` stands.

    `attestations` are the subcontractor's attestations of known types; only accepted ones of
    types that count for requirements (not a SOC 2 Type I, say) and that can be dated can
    satisfy a group.
    """
    evidence = [
        (attestation, counts_until)
        for attestation in attestations
        if attestation.review == "accepted" and types[attestation.type_code].counts_for_requirements
        and (counts_until := attestation_counts_until(attestation, types[attestation.type_code]))
        is not None
    ]
    return tuple(
        _group_status(group, evidence, horizon)
        for group in groups
        if group.applies_to(subcontractor)
    )


def _group_status(
    group: RequirementGroupFacts,
    evidence: list[tuple[AttestationFacts, date | None]],
    horizon: Horizon,
) -> RequirementStatus:
    matching = [
        (counts_until, attestation)
        for attestation, counts_until in evidence
        if attestation.type_code in group.type_codes
    ]
    current = [
        (counts_until, attestation.id, counts_until)
        for counts_until, attestation in matching
        if not horizon.is_expired(counts_until)
    ]
    if current:
        _, best_id, counts_until = max(current)
        state = "expiring" if horizon.is_expiring(counts_until) else "ok"
        return RequirementStatus(group.key, group.label, best_id, counts_until, state)
    if matching:
        lapsed_on = max(counts_until for counts_until, _ in matching)
        return RequirementStatus(group.key, group.label, None, lapsed_on, "expired")
    return RequirementStatus(group.key, group.label, None, None, "missing")


def requirement_findings(
    subcontractor: SubcontractorFacts, statuses: Iterable[RequirementStatus]
) -> list[Finding]:
    """Return a finding for each requirement group that is missing or expired."""
    findings = []
    for status in statuses:
        if status.state == "missing":
            message = say("requirement_missing", subcontractor=subcontractor.name,
                          group=status.label)
        elif status.state == "expired":
            message = say("requirement_expired", subcontractor=subcontractor.name,
                          group=status.label, date=status.valid_until)
        else:
            continue
        findings.append(
            make_finding(
                f"requirement_{status.state}:{status.group_key}",
                subcontractor.id,
                message,
                due_on=status.valid_until,
                subcontractor_id=subcontractor.id,
            )
        )
    return findings
