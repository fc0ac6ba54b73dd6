"""Reviewing an uploaded attestation: accept or reject it, audited, and tell the subcontractor.

The legal staff's review queue calls these; the decision is written with its AuditEvent in one
transaction, with the outcome e-mail queued in the outbox (delivered after the commit).
"""

from typing import NamedTuple

from registry import audit
from registry.attestations import notify
from registry.auth.access import STAFF
from registry.db import write_transaction
from registry.models import Attestation, utcnow

MAX_REASON_LENGTH = 2000


class ReviewError(Exception):
    """A review decision that cannot be made; the message says why."""


class ReviewOutcome(NamedTuple):
    """The reviewed attestation and whether the subcontractor's e-mail was handed over."""

    attestation: Attestation
    notified: bool


def _decide(attestation, reviewer, review, reason=""):
    if reviewer is None or reviewer.role not in STAFF or not reviewer.is_active:
        raise ReviewError("Only active legal staff can review attestations.")
    with write_transaction():
        # Conditional on "pending": of two reviewers deciding at once, exactly one wins.
        changed = (
            Attestation.update(
                review=review,
                rejection_reason=reason,
                reviewed_by=reviewer,
                reviewed_at=utcnow(),
                updated_at=utcnow(),
            )
            .where((Attestation.id == attestation.id) & (Attestation.review == "pending"))
            .execute()
        )
        if not changed:
            raise ReviewError("This attestation has been reviewed already.")
        reviewed = Attestation.get_by_id(attestation.id)
        type_name = reviewed.attestation_type.name
        company = reviewed.subcontractor.name
        summary = f"{type_name} of {company} {review}"
        details = {"subcontractor_id": reviewed.subcontractor_id, "attestation_type":
                   reviewed.attestation_type.code}
        if reason:
            summary += f": {reason}"
            details["reason"] = reason
        audit.record(f"attestation.{review}", reviewed, summary, details, actor=reviewer)
        notified = notify.send_review_outcome(reviewed)  # queued with the decision
    return ReviewOutcome(reviewed, notified)


def accept_attestation(attestation, reviewer):
    """Accept a pending attestation and e-mail the subcontractor's contacts and users."""
    return _decide(attestation, reviewer, "accepted")


def reject_attestation(attestation, reviewer, reason):
    """Reject a pending attestation with a reason and e-mail it to the subcontractor."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise ReviewError("Say why the attestation is rejected: the subcontractor will read it.")
    if len(reason) > MAX_REASON_LENGTH:
        raise ReviewError(f"Keep the reason under {MAX_REASON_LENGTH} characters.")
    return _decide(attestation, reviewer, "rejected", reason)
