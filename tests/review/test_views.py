"""The review queue: pending uploads oldest first, accept, reject with a reason."""

import hashlib

from registry.checks import current_snapshot
from registry.compliance import Severity
from registry.models import Attestation, AuditEvent, Document, DocumentBlob
from tests.documents.pdfs import valid_pdf
from tests.registry_factories import make_attestation, make_requirement, make_subcontractor
from tests.subcontractors.helpers import form_post, signed_in, text


def _with_document(attestation, name="iso-certificate.pdf"):
    content = valid_pdf(marker=name)
    digest = hashlib.sha256(content).hexdigest()
    blob = DocumentBlob.create(sha256=digest, content=content, size=len(content))
    document = Document.create(blob=blob, filename=name, size=len(content), sha256=digest,
                               page_count=1)
    Attestation.update(document=document).where(Attestation.id == attestation.id).execute()
    return document


def _pending(name, **overrides):
    subcontractor = make_subcontractor(name=name)
    return make_attestation(subcontractor, review="pending", **overrides)


def test_queue_lists_pending_uploads_oldest_first_with_download(client):
    signed_in(client)
    first = _pending("First Oy")
    second = _pending("Second Oy")
    make_attestation(make_subcontractor(name="Reviewed Oy"))
    _with_document(first)
    page = text(client.get("/review"))
    assert page.index("First Oy") < page.index("Second Oy") and "Reviewed Oy" not in page
    assert "Review queue <span class=\"muted\">(2)</span>" in page
    link = f"/subcontractors/{first.subcontractor_id}/attestations/{first.id}/document"
    assert link in page
    download = client.get(link)
    assert download.status_code == 200 and download.data.startswith(b"%PDF")
    assert "attachment" in download.headers["Content-Disposition"]
    assert second.id


def test_empty_queue_says_what_happens_next(client):
    signed_in(client)
    assert "Nothing waits for review." in text(client.get("/review"))


def test_accept_turns_the_subcontractor_green_at_once(client):
    user = signed_in(client)
    make_requirement()
    attestation = _pending("Evidence Oy")
    _with_document(attestation)
    subcontractor_id = attestation.subcontractor_id
    assert current_snapshot().assessment.subcontractor_status[subcontractor_id] is Severity.RED
    response = form_post(client, f"/review/{attestation.id}/accept", {}, page_url="/review")
    assert response.status_code == 302
    stored = Attestation.get_by_id(attestation.id)
    assert stored.review == "accepted" and stored.reviewed_by_id == user.id
    assert current_snapshot().assessment.subcontractor_status[subcontractor_id] is Severity.GREEN
    assert "was accepted" in text(client.get("/review"))
    detail = text(client.get(f"/subcontractors/{subcontractor_id}"))
    assert "1 of 1" not in detail and "Met" in detail


def test_reject_needs_a_reason_shown_next_to_the_field(client):
    signed_in(client)
    attestation = _pending("Evidence Oy")
    response = form_post(client, f"/review/{attestation.id}/reject", {"reason": "  "},
                         page_url="/review")
    assert response.status_code == 400
    page = text(response)
    assert "the subcontractor will read it" in page and 'aria-invalid="true"' in page
    assert Attestation.get_by_id(attestation.id).review == "pending"


def test_reject_with_reason(client):
    signed_in(client)
    attestation = _pending("Evidence Oy")
    response = form_post(client, f"/review/{attestation.id}/reject",
                         {"reason": "The certificate expired in May."}, page_url="/review")
    assert response.status_code == 302
    stored = Attestation.get_by_id(attestation.id)
    assert stored.review == "rejected"
    assert stored.rejection_reason == "The certificate expired in May."
    assert AuditEvent.get(AuditEvent.action == "attestation.rejected")


def test_deciding_twice_is_refused_politely(client):
    signed_in(client)
    attestation = _pending("Evidence Oy")
    _with_document(attestation)
    form_post(client, f"/review/{attestation.id}/accept", {}, page_url="/review")
    again = form_post(client, f"/review/{attestation.id}/reject", {"reason": "No"},
                      page_url="/review")
    assert "reviewed already" in text(client.get(again.headers["Location"]))
    assert Attestation.get_by_id(attestation.id).review == "accepted"


def test_unknown_attestation_is_404(client):
    signed_in(client)
    assert form_post(client, "/review/999/accept", {}, page_url="/review").status_code == 404


def test_auditor_reads_the_queue_but_cannot_decide(client):
    signed_in(client, "auditor")
    attestation = _pending("Evidence Oy")
    page = text(client.get("/review"))
    assert "Evidence Oy" in page and "Accept" not in page and "Reject" not in page
    assert client.post(f"/review/{attestation.id}/accept").status_code == 403
    assert client.post(f"/review/{attestation.id}/reject").status_code == 403


def test_subcontractor_users_are_refused(client):
    attestation = _pending("Evidence Oy")
    signed_in(client, "subcontractor", subcontractor=attestation.subcontractor)
    assert client.get("/review").status_code == 403
    assert client.post(f"/review/{attestation.id}/accept").status_code == 403


def test_document_of_another_subcontractor_is_404(client):
    signed_in(client)
    attestation = _pending("Evidence Oy")
    _with_document(attestation)
    other = make_subcontractor()
    url = f"/subcontractors/{other.id}/attestations/{attestation.id}/document"
    assert client.get(url).status_code == 404


def test_page_count_is_singular_for_one_page(client):
    signed_in(client)
    _with_document(_pending("One Page Oy"))
    three = _with_document(_pending("Three Pages Oy"), name="report.pdf")
    Document.update(page_count=3).where(Document.id == three.id).execute()
    page = text(client.get("/review"))
    assert "(1 page)" in page and "(3 pages)" in page and "(1 pages)" not in page
