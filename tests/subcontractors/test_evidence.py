"""Legal staff record a flow-down agreement and upload attestations on a company's behalf."""

import io
from datetime import timedelta

from registry.checks import current_snapshot
from registry.compliance import CLAUSE_KEYS, Severity
from registry.models import Attestation, AuditEvent, Document, FlowDownAgreement
from tests.registry_factories import make_attestation_type, make_requirement, make_subcontractor
from tests.subcontractors.helpers import form_post, pdf_file, signed_in, text, today

MULTIPART = {"content_type": "multipart/form-data"}


def _agreement_data(signed_on=None, clauses=CLAUSE_KEYS, name="flow-down.pdf"):
    data = {"signed_on": (signed_on or today()).isoformat(), "file": pdf_file(name, name)}
    data.update({f"clause_{key}": "y" for key in clauses})
    return data


def test_record_flow_down_agreement_turns_the_finding_off(client):
    signed_in(client)
    subcontractor = make_subcontractor(flow_down=False)
    findings = current_snapshot().assessment.findings_for_subcontractor(subcontractor.id)
    assert "flow_down_missing" in {finding.code for finding in findings}
    url = f"/subcontractors/{subcontractor.id}/flow-down/new"
    response = form_post(client, url, _agreement_data(), **MULTIPART)
    assert response.status_code == 302
    agreement = FlowDownAgreement.get()
    assert agreement.signed_on == today() and all(agreement.clauses.values())
    assert agreement.document.filename == "flow-down.pdf"
    findings = current_snapshot().assessment.findings_for_subcontractor(subcontractor.id)
    assert not any(finding.code.startswith("flow_down") for finding in findings)
    assert AuditEvent.get(AuditEvent.action == "flow_down.recorded")
    page = text(client.get(response.headers["Location"]))
    assert "The flow-down agreement was recorded." in page
    download = client.get(f"/subcontractors/{subcontractor.id}/flow-down/{agreement.id}/document")
    assert download.status_code == 200 and download.data.startswith(b"%PDF")


def test_a_new_agreement_replaces_the_current_one(client):
    signed_in(client)
    subcontractor = make_subcontractor()
    previous = FlowDownAgreement.get()
    url = f"/subcontractors/{subcontractor.id}/flow-down/new"
    missing = [key for key in CLAUSE_KEYS if key.letter != "h"]
    response = form_post(client, url, _agreement_data(clauses=missing), **MULTIPART)
    assert "lacks: (h) audits and information" in text(client.get(response.headers["Location"]))
    assert FlowDownAgreement.get_by_id(previous.id).terminated_on == today()
    newest = FlowDownAgreement.select().order_by(FlowDownAgreement.id.desc()).get()
    assert newest.supersedes_id == previous.id
    codes = {f.code for f in current_snapshot().assessment.findings_for_subcontractor(
        subcontractor.id)}
    assert "flow_down_clause_missing:audits_and_information" in codes


def test_flow_down_refuses_a_future_date_and_a_file_that_is_not_a_pdf(client):
    signed_in(client)
    subcontractor = make_subcontractor(flow_down=False)
    url = f"/subcontractors/{subcontractor.id}/flow-down/new"
    future = form_post(client, url, _agreement_data(signed_on=today() + timedelta(days=3)),
                       **MULTIPART)
    assert future.status_code == 400
    assert "The signature date cannot be in the future." in text(future)
    data = dict(_agreement_data(), file=(io.BytesIO(b"MZ\x90\x00 not a pdf"), "agreement.pdf"))
    refused = form_post(client, url, data, **MULTIPART)
    assert refused.status_code == 400 and 'aria-invalid="true"' in text(refused)
    assert FlowDownAgreement.select().count() == 0 and Document.select().count() == 0


def test_upload_on_behalf_waits_for_review(client):
    user = signed_in(client)
    make_requirement()
    subcontractor = make_subcontractor()
    url = f"/subcontractors/{subcontractor.id}/attestations/new"
    choose = text(client.get(url))
    assert "Security Questionnaire" in choose and "Needed for" in choose
    data = {"issued_on": (today() - timedelta(days=10)).isoformat(), "issuer": "Itse Oy",
            "file": pdf_file("questionnaire.pdf")}
    response = form_post(client, f"{url}?type=security_questionnaire", data, **MULTIPART)
    assert response.status_code == 302
    attestation = Attestation.get()
    assert attestation.review == "pending" and attestation.uploaded_by_id == user.id
    assert "waits in the review queue" in text(client.get(response.headers["Location"]))
    assert "questionnaire.pdf" in text(client.get("/review"))


def test_upload_on_behalf_and_accept_at_once(client):
    user = signed_in(client)
    make_requirement()
    subcontractor = make_subcontractor()
    url = f"/subcontractors/{subcontractor.id}/attestations/new?type=security_questionnaire"
    data = {"issued_on": (today() - timedelta(days=10)).isoformat(), "issuer": "Itse Oy",
            "file": pdf_file("questionnaire.pdf"), "accept_now": "yes"}
    response = form_post(client, url, data, **MULTIPART)
    assert "uploaded and accepted" in text(client.get(response.headers["Location"]))
    attestation = Attestation.get()
    assert attestation.review == "accepted" and attestation.reviewed_by_id == user.id
    status = current_snapshot().assessment.subcontractor_status[subcontractor.id]
    assert status is Severity.GREEN


def test_upload_on_behalf_validates_dates_next_to_the_field(client):
    signed_in(client)
    make_attestation_type()
    subcontractor = make_subcontractor()
    url = f"/subcontractors/{subcontractor.id}/attestations/new?type=security_questionnaire"
    data = {"issued_on": (today() + timedelta(days=5)).isoformat(), "issuer": "Itse Oy",
            "file": pdf_file()}
    response = form_post(client, url, data, **MULTIPART)
    assert response.status_code == 400
    assert "The issue date cannot be in the future." in text(response)
    assert Attestation.select().count() == 0


def test_unknown_type_and_subcontractor_are_404(client):
    signed_in(client)
    subcontractor = make_subcontractor()
    assert client.get(f"/subcontractors/{subcontractor.id}/attestations/new?type=nope"
                      ).status_code == 404
    assert client.get("/subcontractors/999/attestations/new").status_code == 404
    assert client.get("/subcontractors/999/flow-down/new").status_code == 404
    assert client.get(f"/subcontractors/{subcontractor.id}/flow-down/999/document"
                      ).status_code == 404


def test_offboarded_subcontractor_takes_no_new_evidence(client):
    signed_in(client)
    subcontractor = make_subcontractor(status="offboarded")
    response = client.get(f"/subcontractors/{subcontractor.id}/flow-down/new")
    assert response.status_code == 302
    assert "takes no new evidence" in text(client.get(response.headers["Location"]))


def test_auditor_downloads_but_cannot_upload(client):
    signed_in(client, "auditor")
    subcontractor = make_subcontractor(flow_down_document=False)
    agreement = FlowDownAgreement.get()
    assert client.get(f"/subcontractors/{subcontractor.id}/flow-down/new").status_code == 403
    assert client.get(f"/subcontractors/{subcontractor.id}/attestations/new").status_code == 403
    url = f"/subcontractors/{subcontractor.id}/flow-down/{agreement.id}/document"
    assert client.get(url).status_code == 404  # the factory's agreement has no PDF


def test_subcontractor_user_cannot_download_through_legal_routes(client):
    signed_in(client)
    subcontractor = make_subcontractor(flow_down=False)
    form_post(client, f"/subcontractors/{subcontractor.id}/flow-down/new", _agreement_data(),
              **MULTIPART)
    agreement = FlowDownAgreement.get()
    other = client.application.test_client()
    signed_in(other, "subcontractor", subcontractor=subcontractor)
    url = f"/subcontractors/{subcontractor.id}/flow-down/{agreement.id}/document"
    assert other.get(url).status_code == 403
