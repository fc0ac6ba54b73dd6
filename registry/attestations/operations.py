"""Reviewing an uploaded attestation: accept or reject it, audited, and tell the subcontractor.

The legal staff's review queue calls these; the decision is written with its AuditEvent in one
transaction, with the outcome e-mail queued in the outbox (delivered after the commit). An
acceptance made in error can be revoked: the attestation goes back to pending review.
"""

from typing import NamedTuple

from registry import audit
from registry.attestations import notify
from registry.auth.access import STAFF
from registry.db import write_transaction
from registry.models import Attestation, utcnow

MAX_REASON_LENGTH = 2000
NO_DOCUMENT = ("This upload has no document, so there is nothing to accept: reject it, or ask "
               "the subcontractor for the PDF.")


class ReviewError(Exception):
    """A review decision that cannot be made; the message says why."""


class ReviewOutcome(NamedTuple):
    """The reviewed attestation and whether the subcontractor's e-mail was handed over."""

    attestation: Attestation
    notified: bool


def _check_reviewer(reviewer):
    if reviewer is None or reviewer.role not in STAFF or not reviewer.is_active:
        raise ReviewError("Only active legal staff can review attestations.")


def _clean_reason(reason, missing_message):
    reason = " ".join((reason or "").split())
    if not reason:
        raise ReviewError(missing_message)
    if len(reason) > MAX_REASON_LENGTH:
        raise ReviewError(f"Keep the reason under {MAX_REASON_LENGTH} characters.")
    return reason


def _decide(attestation, reviewer, review, reason=""):
    _check_reviewer(reviewer)
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
    """Accept a pending attestation and e-mail the subcontractor's contacts and users.

    Evidence is the document: an upload without one is refused (reject it or ask for the PDF).
    """
    if attestation.document_id is None:
        raise ReviewError(NO_DOCUMENT)
    return _decide(attestation, reviewer, "accepted")


def reject_attestation(attestation, reviewer, reason):
    """Reject a pending attestation with a reason and e-mail it to the subcontractor."""
    reason = _clean_reason(
        reason, "Say why the attestation is rejected: the subcontractor will read it.")
    return _decide(attestation, reviewer, "rejected", reason)


def revoke_acceptance(attestation, reviewer, reason):
    """Put an accepted attestation back to pending review, with the reason, audited.

    From the commit on, the engine no longer counts it: the requirement it met is missing
    again (unless an older accepted attestation of its type still counts) until it is
    accepted again from the review queue. Who accepted it stays in the audit trail.
    """
    _check_reviewer(reviewer)
    reason = _clean_reason(reason, "Say why the acceptance is revoked: the audit trail keeps it.")
    with write_transaction():
        accepted = Attestation.get_by_id(attestation.id)
        changed = (
            Attestation.update(review="pending", reviewed_by=None, reviewed_at=None,
                               rejection_reason="", updated_at=utcnow())
            .where((Attestation.id == attestation.id) & (Attestation.review == "accepted"))
            .execute()
        )
        if not changed:
            raise ReviewError("This attestation is not accepted (any more); nothing to revoke.")
        revoked = Attestation.get_by_id(attestation.id)
        audit.record(
            "attestation.acceptance_revoked", revoked,
            f"Acceptance of the {revoked.attestation_type.name} of "
            f"{revoked.subcontractor.name} revoked: {reason}",
            {"subcontractor_id": revoked.subcontractor_id,
             "attestation_type": revoked.attestation_type.code, "reason": reason,
             "before": {"review": "accepted", "reviewed_by": accepted.reviewed_by_id,
                        "reviewed_at": accepted.reviewed_at},
             "after": {"review": "pending", "reviewed_by": None, "reviewed_at": None}},
            actor=reviewer)
    return revoked
