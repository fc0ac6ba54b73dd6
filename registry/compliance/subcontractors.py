"""Rules for a subcontractor as a whole: evidence, flow-down, transfers and breach notice."""

import dataclasses
from collections.abc import Mapping, Sequence
from datetime import date
from typing import NamedTuple

from registry.compliance.attestations import attestation_counts_until, attestation_findings
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
from registry.compliance.messages import Clause, say
from registry.compliance.requirements import requirement_findings, requirement_statuses
from registry.compliance.transfers import DPF_CERTIFICATION_CODE, transfer_finding


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
    today = rules.horizon.today
    findings = [
        *attestation_findings(subcontractor, attestations, rules.types, rules.horizon),
        *requirement_findings(subcontractor, statuses),
        *flow_down_findings(subcontractor, today),
    ]
    dpf_certified = _has_current_dpf_certification(attestations, rules.types, today)
    transfer = transfer_finding(subcontractor, rules.adequacy, today, dpf_certified)
    breach = breach_notice_finding(subcontractor, strictest)
    findings.extend(finding for finding in (transfer, breach) if finding is not None)
    if subcontractor.status == "proposed":
        findings = [_downgraded(finding) for finding in findings]
    return findings, statuses


def _downgraded(finding: Finding) -> Finding:
    if finding.severity is Severity.RED:
        return dataclasses.replace(finding, severity=Severity.AMBER)
    return finding


def _has_current_dpf_certification(
    attestations: Sequence[AttestationFacts],
    types: Mapping[str, AttestationTypeFacts],
    today: date,
) -> bool:
    for attestation in attestations:
        if attestation.type_code != DPF_CERTIFICATION_CODE or attestation.review != "accepted":
            continue
        counts_until = attestation_counts_until(attestation, types[attestation.type_code])
        if counts_until is not None and counts_until >= today:
            return True
    return False


def flow_down_findings(subcontractor: SubcontractorFacts, today: date) -> list[Finding]:
    """Return findings for a missing flow-down agreement on `today`, its missing clauses or its
    missing signed copy (GDPR Art. 28(4))."""
    agreement = subcontractor.flow_down_on(today)
    if agreement is None:
        message = say("flow_down_missing", subcontractor=subcontractor.name)
        return [
            make_finding(
                "flow_down_missing", subcontractor.id, message, subcontractor_id=subcontractor.id
            )
        ]
    findings = [
        make_finding(
            f"flow_down_clause_missing:{key}",
            subcontractor.id,
            say("flow_down_clause_missing", subcontractor=subcontractor.name,
                letter=key.letter, clause=Clause(str(key))),
            subcontractor_id=subcontractor.id,
        )
        for key in missing_clauses(agreement.clauses)
    ]
    if not agreement.document_attached:
        message = say("flow_down_document_missing", subcontractor=subcontractor.name)
        findings.append(
            make_finding("flow_down_document_missing", subcontractor.id, message,
                         subcontractor_id=subcontractor.id)
        )
    return findings


def breach_notice_finding(
    subcontractor: SubcontractorFacts, strictest: StrictestBreachNotice | None
) -> Finding | None:
    """Return a finding when the subcontractor may take longer to report a breach than allowed."""
    promised = subcontractor.breach_notice_hours
    if strictest is None:
        return None
    if promised is None:
        message = say("breach_notice_unrecorded", subcontractor=subcontractor.name,
                      controller=strictest.controller.name, hours=strictest.hours)
        return make_finding(
            "breach_notice_unrecorded", subcontractor.id, message,
            subcontractor_id=subcontractor.id,
        )
    if promised <= strictest.hours:
        return None
    message = say("breach_notice_too_long", subcontractor=subcontractor.name, promised=promised,
                  controller=strictest.controller.name, hours=strictest.hours)
    return make_finding(
        "breach_notice_too_long", subcontractor.id, message, subcontractor_id=subcontractor.id
    )
