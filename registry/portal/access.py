"""Lookups that also authorise: everything in the portal is scoped to the signed-in user's company.

The company comes from `current_user.subcontractor_id` only. A `subcontractor` or
`subcontractor_id` parameter in the query string or a form is never read for a lookup; one that
names another company is treated as tampering and refused outright.
"""

from flask import abort, request
from flask_login import current_user

from registry.models import Attestation, AttestationType, Incident, Subcontractor

TENANT_PARAMETERS = ("subcontractor", "subcontractor_id", "subcontractor-id")


def refuse_foreign_parameters():
    """Refuse (403) a portal request whose parameters name any company but the user's own."""
    own = str(getattr(current_user, "subcontractor_id", "") or "")
    for source in (request.args, request.form):
        for name in TENANT_PARAMETERS:
            if any(value.strip() != own for value in source.getlist(name)):
                abort(403)


def current_subcontractor():
    """Return the signed-in user's company; 403 when there is none or it was offboarded."""
    subcontractor_id = getattr(current_user, "subcontractor_id", None)
    subcontractor = (
        Subcontractor.get_or_none(Subcontractor.id == subcontractor_id)
        if subcontractor_id is not None
        else None
    )
    if subcontractor is None or subcontractor.status == "offboarded":
        abort(403)
    return subcontractor


def own_attestations(subcontractor):
    """Return a query over the company's attestations with their types, newest first."""
    return (
        Attestation.select(Attestation, AttestationType)
        .join(AttestationType)
        .where(Attestation.subcontractor == subcontractor)
        .order_by(Attestation.created_at.desc(), Attestation.id.desc())
    )


def get_own_attestation_or_404(attestation_id):
    """Return the company's attestation `attestation_id`; 404 for any other company's or none."""
    subcontractor = current_subcontractor()
    attestation = own_attestations(subcontractor).where(Attestation.id == attestation_id).first()
    if attestation is None:
        abort(404)
    return attestation


def get_own_document_or_404(attestation_id):
    """Return the document of the company's attestation `attestation_id`; 404 otherwise."""
    attestation = get_own_attestation_or_404(attestation_id)
    if attestation.document is None:
        abort(404)
    return attestation.document


def own_incidents(subcontractor):
    """Return a query over the breaches the company reported, newest first.

    Only its own reports: an incident legal staff recorded about the company's service is
    theirs, and names controllers the company must not see.
    """
    return (
        Incident.select()
        .where((Incident.subcontractor == subcontractor)
               & (Incident.detected_by == "subcontractor"))
        .order_by(Incident.aware_at.desc(), Incident.id.desc())
    )


def get_own_incident_or_404(incident_id):
    """Return the company's report `incident_id`; 404 for any other incident or none."""
    incident = own_incidents(current_subcontractor()).where(Incident.id == incident_id).first()
    if incident is None:
        abort(404)
    return incident
