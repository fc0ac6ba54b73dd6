"""Accepting and rejecting an upload: one decision, audited, and the engine sees the result."""

import pytest

from registry.attestations.operations import (
    ReviewError,
    accept_attestation,
    reject_attestation,
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
