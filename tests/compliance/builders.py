"""Small builders for compliance facts: a compliant registry by default, overrides by keyword."""

import dataclasses
from datetime import date

from registry.compliance import (
    CLAUSE_KEYS,
    AdequacyFacts,
    AttestationFacts,
    AttestationTypeFacts,
    ControllerFacts,
    DpaFacts,
    EngagementFacts,
    FlowDownFacts,
    InstructionFacts,
    RegistryFacts,
    RequirementGroupFacts,
    SubcontractorFacts,
    clauses_from_mapping,
)

TODAY = date(2026, 3, 11)  # a Wednesday
ALL_CLAUSES = clauses_from_mapping(dict.fromkeys(CLAUSE_KEYS, True))
PRIMARY = ("iso27001", "soc2_type2", "isae3402_type2")


def controller(**overrides) -> ControllerFacts:
    """Build an active controller."""
    return ControllerFacts(**{"id": 1, "name": "Acme Oy", "status": "active", **overrides})


def dpa(**overrides) -> DpaFacts:
    """Build a signed, open-ended DPA with every clause, general authorisation, 30-day period."""
    defaults = {
        "id": 1,
        "controller_id": 1,
        "version": 1,
        "title": "Data processing agreement",
        "status": "signed",
        "subprocessor_authorisation": "general",
        "signed_on": date(2025, 1, 1),
        "effective_from": date(2025, 1, 1),
        "clauses": ALL_CLAUSES,
        "objection_period_days": 30,
        "breach_notice_hours": 48,
    }
    return DpaFacts(**{**defaults, **overrides})


def instruction(**overrides) -> InstructionFacts:
    """Build an unacknowledged instruction received today."""
    defaults = {
        "id": 1,
        "controller_id": 1,
        "title": "Keep order data 6 years",
        "version": 1,
        "received_on": TODAY,
    }
    return InstructionFacts(**{**defaults, **overrides})


def flow_down(**overrides) -> FlowDownFacts:
    """Build a complete flow-down agreement signed on 2025-01-01, with its signed copy."""
    defaults = {"id": 1, "signed_on": date(2025, 1, 1), "clauses": ALL_CLAUSES}
    return FlowDownFacts(**{**defaults, **overrides})


def subcontractor(**overrides) -> SubcontractorFacts:
    """Build an active, low-tier Finnish subcontractor with a complete flow-down agreement.

    `flow_down_signed_on` and `flow_down_clauses` describe its one agreement (signed_on None:
    none); pass `flow_downs` for several.
    """
    signed_on = overrides.pop("flow_down_signed_on", date(2025, 1, 1))
    clauses = overrides.pop("flow_down_clauses", ALL_CLAUSES)
    defaults = {
        "id": 10,
        "name": "Cloudy Oy",
        "country": "FI",
        "status": "active",
        "risk_tier": "low",
        "flow_downs": () if signed_on is None else (
            flow_down(signed_on=signed_on, clauses=clauses),),
        "breach_notice_hours": 24,
    }
    return SubcontractorFacts(**{**defaults, **overrides})


def attestation(**overrides) -> AttestationFacts:
    """Build an accepted security questionnaire of subcontractor 10, valid well past the horizon."""
    defaults = {
        "id": 100,
        "subcontractor_id": 10,
        "type_code": "security_questionnaire",
        "review": "accepted",
        "issued_on": date(2026, 1, 1),
    }
    return AttestationFacts(**{**defaults, **overrides})


def engagement(**overrides) -> EngagementFacts:
    """Build an engagement of subcontractor 10 for controller 1, on the list at signing."""
    defaults = {"id": 1000, "subcontractor_id": 10, "controller_id": 1, "on_list_at_signing": True}
    return EngagementFacts(**{**defaults, **overrides})


ATTESTATION_TYPES = (
    AttestationTypeFacts(
        code="iso27001",
        name="ISO/IEC 27001",
        validity_basis="issued_on",
        default_validity_months=36,
    ),
    AttestationTypeFacts(
        code="iso27701",
        name="ISO/IEC 27701",
        validity_basis="issued_on",
        default_validity_months=36,
    ),
    AttestationTypeFacts(
        code="soc2_type1",
        name="SOC 2 Type I",
        validity_basis="issued_on",
        default_validity_months=12,
        counts_for_requirements=False,
    ),
    AttestationTypeFacts(
        code="soc2_type2",
        name="SOC 2 Type II",
        validity_basis="period_end",
        default_validity_months=12,
        bridge_letter_after_months=3,
    ),
    AttestationTypeFacts(
        code="isae3402_type2",
        name="ISAE 3402 Type II",
        validity_basis="period_end",
        default_validity_months=12,
        bridge_letter_after_months=3,
    ),
    AttestationTypeFacts(
        code="pentest_report",
        name="Penetration test report",
        validity_basis="issued_on",
        default_validity_months=12,
    ),
    AttestationTypeFacts(
        code="security_questionnaire",
        name="Security questionnaire",
        validity_basis="issued_on",
        default_validity_months=12,
    ),
    AttestationTypeFacts(
        code="pci_dss_aoc",
        name="PCI DSS AoC",
        validity_basis="issued_on",
        default_validity_months=12,
    ),
    AttestationTypeFacts(
        code="cyber_insurance", name="Cyber insurance", validity_basis="issued_on"
    ),
    AttestationTypeFacts(
        code="dpf_certification", name="DPF certification", validity_basis="issued_on"
    ),
)
TYPES = {attestation_type.code: attestation_type for attestation_type in ATTESTATION_TYPES}

REQUIREMENT_GROUPS = (
    RequirementGroupFacts(
        key="questionnaire",
        label="a security questionnaire",
        tier="low",
        applies_to_card_data=False,
        type_codes=("security_questionnaire",),
    ),
    RequirementGroupFacts(
        key="security_medium",
        label="ISO 27001, SOC 2 Type II or ISAE 3402 Type II",
        tier="medium",
        applies_to_card_data=False,
        type_codes=PRIMARY,
    ),
    RequirementGroupFacts(
        key="security_high",
        label="ISO 27001, SOC 2 Type II or ISAE 3402 Type II",
        tier="high",
        applies_to_card_data=False,
        type_codes=PRIMARY,
    ),
    RequirementGroupFacts(
        key="pentest",
        label="a penetration test report",
        tier="high",
        applies_to_card_data=False,
        type_codes=("pentest_report",),
    ),
    RequirementGroupFacts(
        key="card_data",
        label="a PCI DSS attestation of compliance",
        tier=None,
        applies_to_card_data=True,
        type_codes=("pci_dss_aoc",),
    ),
)

ADEQUACY = (
    AdequacyFacts(country_code="GB", decided_on=date(2021, 6, 28), valid_until=date(2031, 12, 27)),
    AdequacyFacts(country_code="CH", decided_on=date(2000, 7, 26)),
    AdequacyFacts(country_code="US", decided_on=date(2023, 7, 10)),
)


def registry(**overrides) -> RegistryFacts:
    """Build a registry in which everything is in order; override whole tuples by keyword."""
    defaults = {
        "controllers": (controller(),),
        "dpas": (dpa(),),
        "subcontractors": (subcontractor(),),
        "attestation_types": ATTESTATION_TYPES,
        "attestations": (attestation(),),
        "requirement_groups": REQUIREMENT_GROUPS,
        "engagements": (engagement(),),
        "adequacy": ADEQUACY,
    }
    return RegistryFacts(**{**defaults, **overrides})


def codes(assessment) -> list[str]:
    """Return the finding codes of an assessment, in its order."""
    return [finding.code for finding in assessment.findings]


def only(assessment, code_prefix: str):
    """Return the single finding whose code starts with `code_prefix`."""
    matching = [f for f in assessment.findings if f.code.startswith(code_prefix)]
    assert len(matching) == 1, [f.code for f in assessment.findings]
    return matching[0]


def replace(facts, **changes):
    """Return a copy of a frozen fact with `changes`."""
    return dataclasses.replace(facts, **changes)
