"""Reads of the review queue: pending attestations, oldest first, in a fixed number of queries."""

import json

from flask import abort
from peewee import JOIN

from registry.attestations.validity import row_counts_until
from registry.models import (
    Attestation,
    AttestationType,
    AuditEvent,
    Document,
    Subcontractor,
    User,
)

PAGE_SIZE = 20


def _pending():
    return (Attestation
            .select(Attestation, AttestationType, Subcontractor, Document, User)
            .join(AttestationType)
            .switch(Attestation).join(Subcontractor)
            .switch(Attestation).join(Document, JOIN.LEFT_OUTER)
            .switch(Attestation).join(User, JOIN.LEFT_OUTER,
                                      on=Attestation.uploaded_by == User.id)
            .where(Attestation.review == "pending"))


def queue_page(page):
    """Return (attestations, total, page, pages): pending uploads, the oldest first."""
    query = _pending()
    total = query.count()
    pages = max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    page = min(max(page, 1), pages)
    attestations = list(query.order_by(Attestation.created_at, Attestation.id)
                        .paginate(page, PAGE_SIZE))
    for attestation in attestations:
        attestation.counts_until = row_counts_until(attestation)
    return attestations, total, page, pages


def get_attestation_or_404(attestation_id):
    """Return the attestation with this id (any review state), or answer 404."""
    attestation = (Attestation.select(Attestation, AttestationType, Subcontractor)
                   .join(AttestationType)
                   .switch(Attestation).join(Subcontractor)
                   .where(Attestation.id == attestation_id)
                   .first())
    if attestation is None:
        abort(404)
    return attestation


def revocations_of(attestations):
    """Return {attestation id: its latest acceptance revocation event} for these attestations.

    A revoked attestation is pending again; the reviewer sees who revoked it and why.
    """
    ids = [str(attestation.id) for attestation in attestations]
    if not ids:
        return {}
    events = (AuditEvent
              .select(AuditEvent.object_id, AuditEvent.actor_label, AuditEvent.occurred_at,
                      AuditEvent.details)
              .where((AuditEvent.action == "attestation.acceptance_revoked")
                     & (AuditEvent.object_type == Attestation._meta.table_name)
                     & AuditEvent.object_id.in_(ids))
              .order_by(AuditEvent.id))
    latest = {}
    for event in events:
        event.reason = json.loads(event.details).get("reason", "")
        latest[int(event.object_id)] = event
    return latest
