"""Accepting asks for confirmation and needs the document; legal staff can revoke an acceptance."""

import json
import re

from registry.checks import current_snapshot
from registry.compliance import Severity
from registry.models import Attestation, AuditEvent
from tests.registry_factories import make_attestation, make_requirement, make_subcontractor
from tests.review.test_views import _pending, _with_document
from tests.subcontractors.helpers import form_post, signed_in, text


def _panel(page, attestation):
    """Return the review item of `attestation` in the queue page."""
    start = page.index(f'id="attestation-{attestation.id}"')
    return page[start:page.index("</li>", start)]


def test_accept_is_offered_behind_a_confirmation_that_needs_no_javascript(client):
    signed_in(client)
    attestation = _pending("Evidence Oy")
    _with_document(attestation, name="iso-2026.pdf")
    panel = _panel(text(client.get("/review")), attestation)
    confirmation = re.search(r"<details class=\"action confirm\">(.*?)</details>", panel, re.S)
    assert confirmation, "Accept must sit in a disclosure that opens before it submits"
    inside = confirmation.group(1)
    assert f'action="/review/{attestation.id}/accept"' in inside
    assert "after reading iso-2026.pdf" in inside
    assert "Accept and tell the subcontractor" in inside
    outside = panel.replace(confirmation.group(0), "")
    assert f"/review/{attestation.id}/accept" not in outside


def test_accept_is_not_offered_without_a_document(client):
    signed_in(client)
    attestation = _pending("Paperless Oy")
    panel = _panel(text(client.get("/review")), attestation)
    assert "/accept" not in panel and "cannot be accepted" in panel
    assert "Reject…" in panel


def test_accepting_an_upload_without_document_is_refused_by_the_server(client):
    signed_in(client)
    make_requirement()
    attestation = _pending("Paperless Oy")
    response = form_post(client, f"/review/{attestation.id}/accept", {}, page_url="/review")
    assert "has no document" in text(client.get(response.headers["Location"]))
    assert Attestation.get_by_id(attestation.id).review == "pending"
    assert not AuditEvent.select().where(AuditEvent.action == "attestation.accepted").exists()
    status = current_snapshot().assessment.subcontractor_status[attestation.subcontractor_id]
    assert status is Severity.RED


def _accepted(name="Evidence Oy"):
    make_requirement()
    attestation = _pending(name)
    _with_document(attestation)
    return attestation


def test_revoking_puts_the_attestation_back_in_review_and_the_engine_stops_counting_it(client):
    user = signed_in(client)
    attestation = _accepted()
    form_post(client, f"/review/{attestation.id}/accept", {}, page_url="/review")
    subcontractor_id = attestation.subcontractor_id
    assert current_snapshot().assessment.subcontractor_status[subcontractor_id] is Severity.GREEN
    detail = text(client.get(f"/subcontractors/{subcontractor_id}"))
    assert f'href="/review/{attestation.id}/revoke"' in detail

    url = f"/review/{attestation.id}/revoke"
    response = form_post(client, url, {"reason": "The certificate names another company."})
    assert response.status_code == 302
    assert "waits in the review queue again" in text(client.get(response.headers["Location"]))
    stored = Attestation.get_by_id(attestation.id)
    assert (stored.review, stored.reviewed_by_id, stored.reviewed_at) == ("pending", None, None)
    assessment = current_snapshot().assessment
    assert assessment.subcontractor_status[subcontractor_id] is Severity.RED
    codes = {finding.code for finding in assessment.findings_for_subcontractor(subcontractor_id)}
    assert "attestation_awaiting_review" in codes

    event = AuditEvent.get(AuditEvent.action == "attestation.acceptance_revoked")
    details = json.loads(event.details)
    assert event.actor_id == user.id and event.object_id == str(attestation.id)
    assert details["reason"] == "The certificate names another company."
    assert details["before"]["reviewed_by"] == user.id
    panel = _panel(text(client.get("/review")), attestation)
    assert "Acceptance revoked" in panel and "names another company" in panel


def test_revoking_needs_a_reason_shown_next_to_the_field(client):
    signed_in(client)
    attestation = make_attestation(make_subcontractor(name="Evidence Oy"))
    response = form_post(client, f"/review/{attestation.id}/revoke", {"reason": "   "})
    assert response.status_code == 400
    page = text(response)
    assert "the audit trail keeps it" in page and 'aria-invalid="true"' in page
    assert Attestation.get_by_id(attestation.id).review == "accepted"


def test_only_an_accepted_attestation_can_be_revoked(client):
    signed_in(client)
    attestation = _pending("Evidence Oy")
    response = client.get(f"/review/{attestation.id}/revoke")
    assert response.status_code == 302
    assert "no acceptance to revoke" in text(client.get(response.headers["Location"]))


def test_auditors_see_no_revoke_link_and_are_refused(client):
    signed_in(client, "auditor")
    attestation = make_attestation(make_subcontractor(name="Evidence Oy"))
    detail = text(client.get(f"/subcontractors/{attestation.subcontractor_id}"))
    assert "/revoke" not in detail
    assert client.get(f"/review/{attestation.id}/revoke").status_code == 403
    assert client.post(f"/review/{attestation.id}/revoke").status_code == 403
