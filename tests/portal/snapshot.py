"""A fingerprint of everything a portal request could change, to prove that nothing did."""

from registry.models import (
    Attestation,
    Document,
    DocumentBlob,
    Invitation,
    Subcontractor,
    User,
)


def fingerprint():
    """Return the rows a tenant could try to change, as comparable plain values."""
    return {
        "attestations": list(Attestation.select(
            Attestation.id, Attestation.subcontractor, Attestation.review,
            Attestation.document, Attestation.issuer, Attestation.valid_until,
        ).order_by(Attestation.id).tuples()),
        "documents": Document.select().count(),
        "blobs": DocumentBlob.select().count(),
        "subcontractors": [
            (row.id, row.name, row.status, list(row.contacts), row.risk_tier)
            for row in Subcontractor.select().order_by(Subcontractor.id)
        ],
        "users": list(User.select(User.id, User.email, User.role, User.subcontractor,
                                  User.is_active).order_by(User.id).tuples()),
        "invitations": Invitation.select().count(),
    }
