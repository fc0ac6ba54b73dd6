"""The stored resources the API reads, each with its columns, filters and readers."""

from typing import Literal

from registry.api.resources import Resource, filter_model
from registry.api.schemas import Id, row_model
from registry.auth.access import EVERYONE, READERS
from registry.compliance import CLAUSE_KEYS
from registry.compliance.facts import (
    CONTROLLER_STATUSES,
    DPA_STATUSES,
    REVIEW_STATES,
    RISK_TIERS,
    SUBCONTRACTOR_STATUSES,
)
from registry.models import (
    AssistanceRequest,
    Attestation,
    Controller,
    Dpa,
    Engagement,
    FlowDownAgreement,
    Incident,
    Instruction,
    Subcontractor,
    SubjectRequest,
)

STAMPS = ("created_at", "updated_at")

ControllerOut = row_model("Controller", Controller, (
    "key", "name", "business_id", "country", "privacy_contacts", "services", "ordered_via",
    "status", "ended_on", "notes", "language", "row_version", *STAMPS),
    choices={"status": CONTROLLER_STATUSES})
DpaOut = row_model("Dpa", Dpa, (
    "controller", "version", "title", "status", "signed_on", "effective_from", "expires_on",
    "review_due_on", "terminated_on", "return_or_deletion", "document", "subject_matter",
    "duration", "nature_and_purpose", "personal_data_types", "data_subject_categories",
    "subprocessor_authorisation", "dsr_forward_days", "objection_period_days",
    "breach_notice_hours", "return_or_deletion_days", "supersedes", "row_version", *STAMPS),
    choices={"status": DPA_STATUSES})
InstructionOut = row_model("Instruction", Instruction, (
    "controller", "dpa", "title", "text", "source", "received_on", "effective_from", "version",
    "supersedes", "document", "acknowledged_on", "row_version", *STAMPS))
SubcontractorOut = row_model("Subcontractor", Subcontractor, (
    "key", "name", "business_id", "country", "website", "purpose", "data_categories",
    "processing_countries", "transfer_mechanism", "tia_on", "risk_tier", "handles_card_data",
    "status", "offboarded_on", "contacts", "breach_notice_hours", "parent", "language",
    "row_version", *STAMPS),
    choices={"status": SUBCONTRACTOR_STATUSES, "risk_tier": RISK_TIERS})
EngagementOut = row_model("Engagement", Engagement, (
    "subcontractor", "controller", "on_list_at_signing", "proposed_on", "notified_on",
    "objection_deadline", "objected_on", "objection_note", "approved_on", "withdrawn_on",
    "notes", "row_version", *STAMPS))
FlowDownAgreementOut = row_model("FlowDownAgreement", FlowDownAgreement, (
    "subcontractor", "signed_on", "document", "terminated_on", "supersedes",
    *(f"clause_{key}" for key in CLAUSE_KEYS), *STAMPS))
AttestationOut = row_model("Attestation", Attestation, (
    "subcontractor", "attestation_type", "issuer", "reference", "scope", "standard_version",
    "issued_on", "period_start", "period_end", "valid_until", "bridge_letter_until", "document",
    "review", "rejection_reason", "reviewed_at", "supersedes", *STAMPS),
    choices={"review": REVIEW_STATES})
IncidentOut = row_model("Incident", Incident, (
    "reference", "title", "aware_at", "detected_by", "subcontractor", "subcontractor_aware_at",
    "affected_scope", "nature", "data_subject_categories", "data_subject_count",
    "record_categories", "record_count", "likely_consequences", "measures", "contact_point",
    "closed_at", "row_version", *STAMPS))
SubjectRequestOut = row_model("SubjectRequest", SubjectRequest, (
    "reference", "received_at", "channel", "request_type", "controller", "subject_reference",
    "details", "forward_days", "due_at", "forwarded_at", "forwarded_to", "forward_error",
    "instruction", "assistance_tasks", "closed_at", "row_version", *STAMPS))
AssistanceRequestOut = row_model("AssistanceRequest", AssistanceRequest, (
    "reference", "kind", "controller", "received_on", "due_on", "summary", "answered_on",
    "answer", "answer_document", "row_version", *STAMPS))

RESOURCES = (
    Resource("controllers", "controller", "Controllers", Controller, ControllerOut,
             filter_model("ControllerFilters", status=Literal[CONTROLLER_STATUSES]), READERS),
    Resource("dpas", "dpa", "DPAs", Dpa, DpaOut,
             filter_model("DpaFilters", controller_id=Id, status=Literal[DPA_STATUSES]),
             READERS, label="DPA"),
    Resource("instructions", "instruction", "Instructions", Instruction, InstructionOut,
             filter_model("InstructionFilters", controller_id=Id), READERS),
    Resource("subcontractors", "subcontractor", "Subcontractors", Subcontractor,
             SubcontractorOut,
             filter_model("SubcontractorFilters", status=Literal[SUBCONTRACTOR_STATUSES]),
             EVERYONE, tenant="id"),
    Resource("engagements", "engagement", "Engagements", Engagement, EngagementOut,
             filter_model("EngagementFilters", controller_id=Id, subcontractor_id=Id), READERS),
    Resource("flow_down_agreements", "flow_down_agreement", "Subcontractors", FlowDownAgreement,
             FlowDownAgreementOut,
             filter_model("FlowDownAgreementFilters", subcontractor_id=Id), READERS,
             label="flow-down agreement"),
    Resource("attestations", "attestation", "Attestations", Attestation, AttestationOut,
             filter_model("AttestationFilters", subcontractor_id=Id,
                          review=Literal[REVIEW_STATES]), EVERYONE, tenant="subcontractor"),
    Resource("incidents", "incident", "Incidents", Incident, IncidentOut,
             filter_model("IncidentFilters", subcontractor_id=Id), EVERYONE, tenant="incident"),
    Resource("subject_requests", "subject_request", "Requests", SubjectRequest,
             SubjectRequestOut, filter_model("SubjectRequestFilters", controller_id=Id),
             READERS),
    Resource("assistance_requests", "assistance_request", "Requests", AssistanceRequest,
             AssistanceRequestOut, filter_model("AssistanceRequestFilters", controller_id=Id),
             READERS),
)
BY_PATH = {resource.path: resource for resource in RESOURCES}
