"""Rules for a subcontractor as a whole: evidence, flow-down, transfers and breach notice."""

import dataclasses
from collections.abc import Mapping, Sequence
from typing import NamedTuple

from registry.compliance.attestations import attestation_findings
from registry.compliance.dates import Horizon
from registry.compliance.facts import (
    AdequacyFacts,
    AttestationFacts,
    AttestationTypeFacts,
    ControllerFacts,
    RequirementGroupFacts,
    SubcontractorFacts,
    missing_clauses,
)
from registry.compliance.findings import Finding, RequirementStatus, Severity, make_finding
from registry.compliance.requirements import requirement_findings, requirement_statuses
from registry.compliance.transfers import transfer_finding


class StrictestBreachNotice(NamedTuple):
    """The shortest breach-notice window the processor owes a controller, and to whom."""

    hours: int
    controller: ControllerFacts


class SubcontractorRules(NamedTuple):
    """The registry-wide facts every subcontractor is checked against."""

    groups: Sequence[RequirementGroupFacts]
    types: Mapping[str, AttestationTypeFacts]
    adequacy: Mapping[str, Sequence[AdequacyFacts]]
    horizon: Horizon


def assess_subcontractor(
    subcontractor: SubcontractorFacts,
    attestations: Sequence[AttestationFacts],
    strictest: StrictestBreachNotice | None,
    rules: SubcontractorRules,
) -> tuple[list[Finding], tuple[RequirementStatus, ...]]:
    """Return the findings and requirement statuses of a subcontractor that is not offboarded.

    `attestations` are its non-rejected attestations of known types; `strictest` is the
    shortest breach-notice window among the controllers whose data it processes. A proposed
    subcontractor processes nothing yet, so its red findings are downgraded to amber.
    """
    statuses = requirement_statuses(
        subcontractor, rules.groups, attestations, rules.types, rules.horizon
    )
    findings = [
        *attestation_findings(subcontractor, attestations, rules.types, rules.horizon),
        *requirement_findings(subcontractor, statuses),
        *flow_down_findings(subcontractor),
    ]
    transfer = transfer_finding(subcontractor, rules.adequacy, rules.horizon.today)
    breach = breach_notice_finding(subcontractor, strictest)
    findings.extend(finding for finding in (transfer, breach) if finding is not None)
    if subcontractor.status == "proposed":
        findings = [_downgraded(finding) for finding in findings]
    return findings, statuses


def _downgraded(finding: Finding) -> Finding:
    if finding.severity is Severity.RED:
        return dataclasses.replace(finding, severity=Severity.AMBER)
    return finding


def flow_down_findings(subcontractor: SubcontractorFacts) -> list[Finding]:
    """Return findings for a missing flow-down agreement or its missing clauses."""
    if subcontractor.flow_down_signed_on is None:
        message = f"{subcontractor.name} has no signed flow-down agreement (Art. 28(4))"
        return [
            make_finding(
                "flow_down_missing", subcontractor.id, message, subcontractor_id=subcontractor.id
            )
        ]
    return [
        make_finding(
            f"flow_down_clause_missing:{key}",
            subcontractor.id,
            f"Flow-down agreement with {subcontractor.name} lacks clause ({key.letter}) "
            f"{key.label}",
            subcontractor_id=subcontractor.id,
        )
        for key in missing_clauses(subcontractor.flow_down_clauses)
    ]


def breach_notice_finding(
    subcontractor: SubcontractorFacts, strictest: StrictestBreachNotice | None
) -> Finding | None:
    """Return a finding when the subcontractor may take longer to report a breach than allowed."""
    promised = subcontractor.breach_notice_hours
    if promised is None or strictest is None or promised <= strictest.hours:
        return None
    message = (
        f"{subcontractor.name} reports breaches within {promised} h, but the DPA with "
        f"{strictest.controller.name} requires {strictest.hours} h"
    )
    return make_finding(
        "breach_notice_too_long", subcontractor.id, message, subcontractor_id=subcontractor.id
    )
