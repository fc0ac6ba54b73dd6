"""Pure compliance rules: frozen facts and a day in, findings and derived statuses out.

Nothing here imports Flask, peewee or the rest of the registry, and nothing reads the clock:
callers copy rows into the dataclasses of `facts` and pass `today`. Status is computed on every
call, never stored.
"""

from registry.compliance.attestations import (
    attestation_counts_until,
    attestation_valid_until,
    bridge_letter_needed_from,
)
from registry.compliance.dates import add_months, add_working_days
from registry.compliance.dpas import continuous_since, current_dpa
from registry.compliance.engagements import (
    ENGAGEMENT_STATUSES,
    engagement_status,
    objection_deadline,
)
from registry.compliance.engine import assess
from registry.compliance.facts import (
    CLAUSE_KEYS,
    DESCRIPTION_ELEMENTS,
    AdequacyFacts,
    AttestationFacts,
    AttestationTypeFacts,
    ClauseFlags,
    ClauseKey,
    ControllerFacts,
    DpaFacts,
    EngagementFacts,
    FlowDownFacts,
    InstructionFacts,
    RegistryFacts,
    RequirementGroupFacts,
    SubcontractorFacts,
    SubcontractorPastFacts,
    clauses_from_mapping,
    missing_clauses,
)
from registry.compliance.findings import (
    AREAS,
    FINDING_CODES,
    Assessment,
    Finding,
    FindingCode,
    RequirementStatus,
    Severity,
    worst,
)
from registry.compliance.hours import hour_findings, judge_hours
from registry.compliance.incidents import (
    IncidentFacts,
    IncidentNoticeFacts,
    hours_left,
    incident_findings,
    judge_incidents,
    notice_due_at,
    notice_state,
    report_hours,
    reported_late,
    with_incident_findings,
)
from registry.compliance.instructions import acknowledgement_due_on
from registry.compliance.requests import (
    AssistanceRequestFacts,
    SubjectRequestFacts,
    assistance_state,
    forward_due_at,
    forward_state,
)
from registry.compliance.transfers import EEA_COUNTRIES, TRANSFER_MECHANISMS

__all__ = [
    "AREAS",
    "CLAUSE_KEYS",
    "DESCRIPTION_ELEMENTS",
    "EEA_COUNTRIES",
    "ENGAGEMENT_STATUSES",
    "FINDING_CODES",
    "TRANSFER_MECHANISMS",
    "AdequacyFacts",
    "Assessment",
    "AttestationFacts",
    "AttestationTypeFacts",
    "ClauseFlags",
    "ClauseKey",
    "ControllerFacts",
    "DpaFacts",
    "EngagementFacts",
    "Finding",
    "FindingCode",
    "AssistanceRequestFacts",
    "FlowDownFacts",
    "IncidentFacts",
    "IncidentNoticeFacts",
    "InstructionFacts",
    "RegistryFacts",
    "RequirementGroupFacts",
    "RequirementStatus",
    "Severity",
    "SubcontractorFacts",
    "SubjectRequestFacts",
    "SubcontractorPastFacts",
    "acknowledgement_due_on",
    "add_months",
    "add_working_days",
    "assess",
    "attestation_counts_until",
    "attestation_valid_until",
    "bridge_letter_needed_from",
    "clauses_from_mapping",
    "continuous_since",
    "current_dpa",
    "engagement_status",
    "assistance_state",
    "forward_due_at",
    "forward_state",
    "hour_findings",
    "hours_left",
    "incident_findings",
    "judge_hours",
    "judge_incidents",
    "missing_clauses",
    "notice_due_at",
    "notice_state",
    "report_hours",
    "reported_late",
    "objection_deadline",
    "with_incident_findings",
    "worst",
]
