"""Evidence the legal staff record for a subcontractor: attestations uploaded on its behalf."""

from registry import audit, documents
from registry.db import write_transaction
from registry.models import Attestation


def latest_accepted(subcontractor, kind):
    """Return the newest accepted attestation of `kind` (the one a new upload replaces)."""
    return (Attestation.select()
            .where((Attestation.subcontractor == subcontractor)
                   & (Attestation.attestation_type == kind)
                   & (Attestation.review == "accepted"))
            .order_by(Attestation.created_at.desc(), Attestation.id.desc())
            .first())


def upload_on_behalf(subcontractor, kind, details, upload, actor):
    """Store a checked PDF and a pending attestation of `kind` for the subcontractor.

    `details` holds issuer, reference, scope, standard_version and the dates the type needs;
    `upload` is a `documents.check_upload` result. The attestation waits in the review queue
    like any upload (accept it there, or at once with `accept_attestation`).
    """
    if subcontractor.status == "offboarded":
        raise ValueError("an offboarded subcontractor takes no new evidence")
    with write_transaction():
        document = documents.save_upload(upload, actor)
        attestation = Attestation.create(subcontractor=subcontractor, attestation_type=kind,
                                         document=document, uploaded_by=actor, review="pending",
                                         supersedes=latest_accepted(subcontractor, kind),
                                         **details)
        audit.record(
            "attestation.uploaded", attestation,
            f"{kind.name} of {subcontractor.name} uploaded on its behalf ({document.filename})",
            {"subcontractor_id": subcontractor.id, "attestation_type": kind.code,
             "on_behalf": True, "document_id": document.id, "sha256": document.sha256,
             "details": {name: value.isoformat() if hasattr(value, "isoformat") else value
                         for name, value in details.items()}},
            actor=actor)
    return attestation
