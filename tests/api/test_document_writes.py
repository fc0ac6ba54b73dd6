"""Signed PDFs through the API: a DPA signed with its PDF, PDFs attached later where the pages
allow it, and their downloads; the PDF checked by its content as the pages check uploads."""

import io

import pytest

from registry.compliance import CLAUSE_KEYS
from registry.models import AuditEvent, Document, Dpa, Instruction
from tests.controllers.helpers import pdf_file
from tests.documents.pdfs import javascript_link_action
from tests.registry_factories import (
    days,
    make_controller,
    make_document,
    make_dpa,
    make_engagement,
    make_instruction,
    make_subcontractor,
)
from tests.requests.factories import make_assistance_request

NOT_A_PDF = b"<html><body>signed</body></html>"


def _draft(**overrides):
    return make_dpa(status="draft", signed_on=None, effective_from=None, **overrides)


def _signature(**changes):
    values = {"signed_on": str(days(-1)), "document": pdf_file()}
    values.update(changes)
    return {key: value for key, value in values.items() if value is not None}


def test_a_draft_is_signed_with_its_pdf_as_the_sign_page_signs_it(app, api, issue_token):
    dpa = _draft(expires_on=days(700))
    token, user = issue_token("legal", "write")
    url = f"/api/v1/dpas/{dpa.id}/sign"
    signed = api.post(url, token=token, data=_signature(), headers={"If-Match": '"r1"'})
    assert signed.status_code == 200, signed.get_json()
    body = signed.get_json()
    assert (body["status"], body["signed_on"], body["effective_from"]) == (
        "signed", str(days(-1)), str(days(-1)))
    assert body["expires_on"] == str(days(700))  # the draft's, as the page pre-fills it
    assert signed.headers["ETag"] == '"r2"'
    document = Document.get_by_id(body["document_id"])
    assert document.filename == "signed.pdf" and document.page_count == 1
    event = AuditEvent.get(AuditEvent.action == "dpa.signed")
    assert event.actor_id == user.id and event.object_id == str(dpa.id)
    download = api.get(f"/api/v1/dpas/{dpa.id}/document", token=token)
    assert download.status_code == 200 and download.mimetype == "application/pdf"
    assert download.data.startswith(b"%PDF")
    assert "attachment" in download.headers["Content-Disposition"]
    again = api.post(url, token=token, data=_signature(), headers={"If-Match": "*"})
    assert again.status_code == 409 and "signed already" in again.get_json()["detail"]


@pytest.mark.parametrize(("changes", "member"), [
    ({"document": None}, "document"),
    ({"document": "not a file"}, "document"),
    ({"signed_on": 3}, "signed_on"),
    ({"expires_on": -5}, "expires_on"),
    ({"document": NOT_A_PDF}, "document"),
    ({"document": "javascript"}, "document"),
])
def test_a_signature_the_page_would_refuse_is_a_422(app, api, issue_token, changes, member):
    files = {NOT_A_PDF: lambda: (io.BytesIO(NOT_A_PDF), "signed.pdf"),
             "javascript": lambda: (io.BytesIO(javascript_link_action()), "x.pdf")}
    changes = {key: str(days(value)) if isinstance(value, int)
               else files[value]() if key == "document" and value in files else value
               for key, value in changes.items()}
    dpa = _draft()
    token, _user = issue_token("admin", "write")
    response = api.post(f"/api/v1/dpas/{dpa.id}/sign", token=token,
                        data=_signature(**changes), headers={"If-Match": '"r1"'},
                        content_type="multipart/form-data")
    assert response.status_code == 422, response.get_json()
    assert response.mimetype == "application/problem+json"
    assert member in response.get_json()["errors"]
    assert Dpa.get_by_id(dpa.id).status == "draft"
    assert not Document.select().exists()


def test_signing_needs_the_current_etag_multipart_and_a_write_role(app, api, issue_token):
    dpa = _draft()
    url = f"/api/v1/dpas/{dpa.id}/sign"
    token, _user = issue_token("legal", "write")
    assert api.post(url, token=token, data=_signature()).status_code == 428
    stale = api.post(url, token=token, data=_signature(), headers={"If-Match": '"r7"'})
    assert stale.status_code == 412
    as_json = api.post(url, token=token, json={"signed_on": str(days(-1))},
                       headers={"If-Match": '"r1"'})
    assert as_json.status_code == 415
    auditor, _auditor = issue_token("auditor", "read")
    assert api.post(url, token=auditor, data=_signature(),
                    headers={"If-Match": '"r1"'}).status_code == 403
    reader, _reader = issue_token("legal", "read")
    assert api.post(url, token=reader, data=_signature(),
                    headers={"If-Match": '"r1"'}).status_code == 403
    assert Dpa.get_by_id(dpa.id).status == "draft"


def test_a_subcontractor_token_neither_signs_nor_downloads_dpas(app, api, issue_token):
    dpa = _draft()
    signed = make_dpa()
    token, _user = issue_token("subcontractor", "read", subcontractor=make_subcontractor())
    assert api.post(f"/api/v1/dpas/{dpa.id}/sign", token=token, data=_signature(),
                    headers={"If-Match": '"r1"'}).status_code == 403
    assert api.get(f"/api/v1/dpas/{signed.id}/document", token=token).status_code == 403


def test_the_signed_pdf_is_attached_once_to_a_dpa_recorded_without_it(app, api, issue_token):
    dpa = make_dpa(document=None)
    token, user = issue_token("legal", "write")
    url = f"/api/v1/dpas/{dpa.id}/document"
    assert api.get(url, token=token).status_code == 404
    refused = api.post(url, token=token, data={"document": (io.BytesIO(NOT_A_PDF), "a.pdf")},
                       headers={"If-Match": '"r1"'})
    assert refused.status_code == 422 and "document" in refused.get_json()["errors"]
    assert api.post(url, token=token, data={"document": pdf_file()}).status_code == 428
    attached = api.post(url, token=token, data={"document": pdf_file()},
                        headers={"If-Match": '"r1"'})
    assert attached.status_code == 200, attached.get_json()
    assert attached.get_json()["document_id"] is not None and attached.headers["ETag"] == '"r2"'
    assert AuditEvent.get(AuditEvent.action == "dpa.document_attached").actor_id == user.id
    assert api.get(url, token=token).status_code == 200
    stale = api.post(url, token=token, data={"document": pdf_file()},
                     headers={"If-Match": '"r1"'})
    assert stale.status_code == 412
    again = api.post(url, token=token, data={"document": pdf_file()},
                     headers={"If-Match": '"r2"'})
    assert again.status_code == 409 and "without its PDF" in again.get_json()["detail"]


def test_an_instruction_gets_its_pdf_and_auditors_download_it(app, api, issue_token):
    instruction = make_instruction(document=None)
    token, user = issue_token("admin", "write")
    url = f"/api/v1/instructions/{instruction.id}/document"
    missing = api.post(url, token=token, data={}, headers={"If-Match": '"r1"'},
                       content_type="multipart/form-data")
    assert missing.status_code == 422 and "document" in missing.get_json()["errors"]
    attached = api.post(url, token=token, data={"document": pdf_file(name="order.pdf")},
                        headers={"If-Match": '"r1"'})
    assert attached.status_code == 200, attached.get_json()
    assert Instruction.get_by_id(instruction.id).document.filename == "order.pdf"
    event = AuditEvent.get(AuditEvent.action == "instruction.document_attached")
    assert event.actor_id == user.id
    auditor, _auditor = issue_token("auditor", "read")
    assert api.post(url, token=auditor, data={"document": pdf_file()},
                    headers={"If-Match": '"r2"'}).status_code == 403
    download = api.get(url, token=auditor)
    assert download.status_code == 200 and download.mimetype == "application/pdf"
    assert AuditEvent.select().where(AuditEvent.action == "document.downloaded").count() >= 1


def test_a_written_approvals_pdf_is_downloaded(app, api, issue_token):
    with_pdf = make_engagement(approved_on=days(-3), approval_document=make_document("ok.pdf"))
    without = make_engagement()
    token, _user = issue_token("auditor", "read")
    download = api.get(f"/api/v1/engagements/{with_pdf.id}/approval/document", token=token)
    assert download.status_code == 200 and download.mimetype == "application/pdf"
    none = api.get(f"/api/v1/engagements/{without.id}/approval/document", token=token)
    assert none.status_code == 404 and "no approval document" in none.get_json()["detail"]


def _clauses(*missing):
    return {f"clause_{key}": "false" if key in missing else "true" for key in CLAUSE_KEYS}


def test_a_flow_down_agreement_is_recorded_with_its_pdf_and_supersedes(app, api, issue_token):
    subcontractor = make_subcontractor(flow_down=False)
    token, user = issue_token("legal", "write")
    url = f"/api/v1/subcontractors/{subcontractor.id}/flow-down-agreements"
    first = api.post(url, token=token, data={"signed_on": str(days(-30)), "document": pdf_file(),
                                             **_clauses("audits_and_information")})
    assert first.status_code == 201, first.get_json()
    body = first.get_json()
    assert first.headers["Location"] == f"/api/v1/flow-down-agreements/{body['id']}"
    assert body["clause_confidentiality"] is True and body["clause_audits_and_information"] is False
    event = AuditEvent.get(AuditEvent.action == "flow_down.recorded")
    assert event.actor_id == user.id and "audits_and_information" in event.details
    second = api.post(url, token=token, data={"signed_on": str(days(-2)), "document": pdf_file(),
                                              **_clauses()})
    assert second.status_code == 201 and second.get_json()["supersedes_id"] == body["id"]
    old = api.get(f"/api/v1/flow-down-agreements/{body['id']}", token=token).get_json()
    assert old["terminated_on"] == str(days(-2))
    listed = api.get(f"/api/v1/flow-down-agreements?subcontractor_id={subcontractor.id}",
                     token=token).get_json()["items"]
    assert [item["id"] for item in listed] == [body["id"], second.get_json()["id"]]
    download = api.get(f"/api/v1/flow-down-agreements/{body['id']}/document", token=token)
    assert download.status_code == 200 and download.mimetype == "application/pdf"
    earlier = api.post(url, token=token, data={"signed_on": str(days(-60)),
                                               "document": pdf_file()})
    assert earlier.status_code == 409 and "cannot have been signed before" in \
        earlier.get_json()["detail"]


def test_a_flow_down_agreement_the_form_refuses_is_a_422_and_stores_nothing(app, api,
                                                                           issue_token):
    subcontractor = make_subcontractor(flow_down=False)
    token, _user = issue_token("admin", "write")
    url = f"/api/v1/subcontractors/{subcontractor.id}/flow-down-agreements"
    future = api.post(url, token=token, data={"signed_on": str(days(2)), "document": pdf_file()})
    assert future.status_code == 422 and "signed_on" in future.get_json()["errors"]
    not_pdf = api.post(url, token=token, data={"signed_on": str(days(-2)),
                                               "document": (io.BytesIO(NOT_A_PDF), "a.pdf")})
    assert not_pdf.status_code == 422 and "document" in not_pdf.get_json()["errors"]
    unknown = api.post(url, token=token, data={"signed_on": str(days(-2)),
                                               "document": pdf_file(), "clause_z": "true"})
    assert unknown.status_code == 422 and "clause_z" in unknown.get_json()["errors"]
    assert not Document.select().exists()
    auditor, _auditor = issue_token("auditor", "read")
    assert api.post(url, token=auditor, data={"signed_on": str(days(-2)),
                                              "document": pdf_file()}).status_code == 403
    tenant, _tenant = issue_token("subcontractor", "read", subcontractor=subcontractor)
    assert api.post(url, token=tenant, data={"signed_on": str(days(-2)),
                                             "document": pdf_file()}).status_code == 403
    assert api.get("/api/v1/flow-down-agreements", token=tenant).status_code == 403
    offboarded = make_subcontractor(status="offboarded", offboarded_on=days(-1))
    refused = api.post(f"/api/v1/subcontractors/{offboarded.id}/flow-down-agreements",
                       token=token, data={"signed_on": str(days(-2)), "document": pdf_file()})
    assert refused.status_code == 409 and "offboarded" in refused.get_json()["detail"]


def test_a_written_approval_is_recorded_with_its_pdf(app, api, issue_token):
    engagement = make_engagement(controller=make_controller(), on_list_at_signing=False)
    token, user = issue_token("legal", "write")
    url = f"/api/v1/engagements/{engagement.id}/approval-with-pdf"
    approval = {"approved_on": str(days(-2)), "reference": "DPO letter"}
    assert api.post(url, token=token, data={**approval, "document": pdf_file()}).status_code \
        == 428
    refused = api.post(url, token=token, headers={"If-Match": '"r1"'},
                       data={**approval, "document": (io.BytesIO(NOT_A_PDF), "a.pdf")})
    assert refused.status_code == 422 and "document" in refused.get_json()["errors"]
    future = api.post(url, token=token, headers={"If-Match": '"r1"'},
                      data={**approval, "approved_on": str(days(2)), "document": pdf_file()})
    assert future.status_code == 422 and "approved_on" in future.get_json()["errors"]
    recorded = api.post(url, token=token, headers={"If-Match": '"r1"'},
                        data={**approval, "document": pdf_file(name="approval.pdf")})
    assert recorded.status_code == 200, recorded.get_json()
    assert recorded.get_json()["approved_on"] == str(days(-2))
    event = AuditEvent.get(AuditEvent.action == "engagement.approved")
    assert event.actor_id == user.id and "approval.pdf" in event.details
    download = api.get(f"/api/v1/engagements/{engagement.id}/approval/document", token=token)
    assert download.status_code == 200 and download.mimetype == "application/pdf"
    stale = api.post(url, token=token, headers={"If-Match": '"r1"'},
                     data={**approval, "document": pdf_file()})
    assert stale.status_code == 412
    auditor, _auditor = issue_token("auditor", "read")
    assert api.post(url, token=auditor, headers={"If-Match": "*"},
                    data={**approval, "document": pdf_file()}).status_code == 403


def test_an_assistance_answer_is_recorded_once_with_its_document(app, api, issue_token):
    row = make_assistance_request(make_controller())
    token, user = issue_token("admin", "write")
    url = f"/api/v1/assistance-requests/{row.id}/answer-with-pdf"
    answer = {"answered_on": str(days(-1)), "answer": "Sent our Art. 32 measures."}
    empty = api.post(url, token=token, headers={"If-Match": '"r1"'},
                     data={**answer, "answer": " ", "document": pdf_file()})
    assert empty.status_code == 422 and "answer" in empty.get_json()["errors"]
    refused = api.post(url, token=token, headers={"If-Match": '"r1"'},
                       data={**answer, "document": (io.BytesIO(NOT_A_PDF), "a.pdf")})
    assert refused.status_code == 422 and "document" in refused.get_json()["errors"]
    answered = api.post(url, token=token, headers={"If-Match": '"r1"'},
                        data={**answer, "document": pdf_file(name="measures.pdf")})
    assert answered.status_code == 200, answered.get_json()
    assert answered.get_json()["answer_document_id"] is not None
    assert AuditEvent.get(AuditEvent.action == "assistance_request.answered").actor_id == user.id
    download = api.get(f"/api/v1/assistance-requests/{row.id}/answer/document", token=token)
    assert download.status_code == 200 and download.mimetype == "application/pdf"
    again = api.post(url, token=token, headers={"If-Match": answered.headers["ETag"]},
                     data={**answer, "document": pdf_file()})
    assert again.status_code == 409 and "answered already" in again.get_json()["detail"]
    assert Document.select().count() == 1
