"""Accepting and rejecting an upload: one decision, audited, and the engine sees the result."""

import pytest

from registry.attestations.operations import (
    ReviewError,
    accept_attestation,
    reject_attestation,
    revoke_acceptance,
)
from registry.models import Attestation, AuditEvent
from registry.portal.queries import overview
from tests.factories import make_user
from tests.portal.factories import make_upload, make_world


@pytest.fixture
def pending(app):
    """A medium-tier company with nothing accepted, its pending ISO certificate, a reviewer."""
    first, _second, legal = make_world()
    return first, make_upload(first.subcontractor, first.user, review="pending"), legal


def test_accepting_is_audited_and_turns_the_requirement_green(pending):
    tenant, attestation, legal = pending
    assert [row.state for row in overview(tenant.subcontractor).rows] == ["missing"]
    outcome = accept_attestation(attestation, legal)
    stored = Attestation.get_by_id(attestation.id)
    assert (stored.review, stored.reviewed_by_id) == ("accepted", legal.id)
    assert stored.reviewed_at is not None
    event = AuditEvent.get(AuditEvent.action == "attestation.accepted")
    assert (event.object_id, event.actor_id) == (str(attestation.id), legal.id)
    assert outcome.attestation.id == attestation.id
    [row] = overview(tenant.subcontractor).rows
    assert row.state == "ok" and row.covered_by.id == attestation.id


def test_rejecting_keeps_the_reason_and_is_audited(pending):
    tenant, attestation, legal = pending
    reject_attestation(attestation, legal, "  Scope   does not cover hosting. ")
    stored = Attestation.get_by_id(attestation.id)
    assert stored.review == "rejected"
    assert stored.rejection_reason == "Scope does not cover hosting."
    event = AuditEvent.get(AuditEvent.action == "attestation.rejected")
    assert "Scope does not cover hosting." in event.summary
    [row] = overview(tenant.subcontractor).rows
    assert row.state == "missing" and row.rejected.id == attestation.id and row.needs_upload


def test_a_decision_is_made_once(pending):
    _tenant, attestation, legal = pending
    accept_attestation(attestation, legal)
    with pytest.raises(ReviewError, match="reviewed already"):
        reject_attestation(attestation, legal, "Too late")
    with pytest.raises(ReviewError, match="reviewed already"):
        accept_attestation(attestation, legal)
    assert Attestation.get_by_id(attestation.id).review == "accepted"
    assert AuditEvent.select().where(AuditEvent.action.startswith("attestation.")).count() == 1


@pytest.mark.parametrize("role", ["auditor", "subcontractor"])
def test_only_legal_staff_can_decide(pending, role):
    tenant, attestation, _legal = pending
    reviewer = make_user(role, subcontractor=tenant.subcontractor if role == "subcontractor"
                         else None)
    with pytest.raises(ReviewError, match="Only active legal staff"):
        accept_attestation(attestation, reviewer)
    assert Attestation.get_by_id(attestation.id).review == "pending"


def test_an_inactive_reviewer_cannot_decide(pending):
    _tenant, attestation, _legal = pending
    with pytest.raises(ReviewError):
        accept_attestation(attestation, make_user("legal", is_active=False))


@pytest.mark.parametrize("reason", ["", "   ", "x" * 2001])
def test_a_rejection_needs_a_short_reason(pending, reason):
    _tenant, attestation, legal = pending
    with pytest.raises(ReviewError):
        reject_attestation(attestation, legal, reason)
    assert Attestation.get_by_id(attestation.id).review == "pending"


def test_an_upload_without_document_cannot_be_accepted(pending):
    _tenant, attestation, legal = pending
    Attestation.update(document=None).where(Attestation.id == attestation.id).execute()
    with pytest.raises(ReviewError, match="has no document"):
        accept_attestation(Attestation.get_by_id(attestation.id), legal)
    assert Attestation.get_by_id(attestation.id).review == "pending"


def test_revoking_an_acceptance_makes_the_requirement_missing_again(pending):
    tenant, attestation, legal = pending
    accept_attestation(attestation, legal)
    revoke_acceptance(attestation, legal, "  Accepted   by mistake. ")
    stored = Attestation.get_by_id(attestation.id)
    assert (stored.review, stored.reviewed_by_id) == ("pending", None)
    event = AuditEvent.get(AuditEvent.action == "attestation.acceptance_revoked")
    assert "Accepted by mistake." in event.summary and event.actor_id == legal.id
    [row] = overview(tenant.subcontractor).rows
    assert row.state == "missing"
    with pytest.raises(ReviewError, match="nothing to revoke"):
        revoke_acceptance(attestation, legal, "Twice")


@pytest.mark.parametrize("role", ["auditor", "subcontractor"])
def test_only_legal_staff_can_revoke(pending, role):
    tenant, attestation, legal = pending
    accept_attestation(attestation, legal)
    reviewer = make_user(role, subcontractor=tenant.subcontractor if role == "subcontractor"
                         else None)
    with pytest.raises(ReviewError, match="Only active legal staff"):
        revoke_acceptance(attestation, reviewer, "No")
    assert Attestation.get_by_id(attestation.id).review == "accepted"


def test_a_revocation_needs_a_reason(pending):
    _tenant, attestation, legal = pending
    accept_attestation(attestation, legal)
    with pytest.raises(ReviewError, match="Say why"):
        revoke_acceptance(attestation, legal, " ")
    assert Attestation.get_by_id(attestation.id).review == "accepted"
