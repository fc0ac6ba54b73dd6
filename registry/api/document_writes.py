"""Signed PDFs through the API: signing a DPA with its PDF, attaching a PDF where the pages
allow it later, and downloading each.

The bodies are multipart/form-data: the PDF as a file part, the other members as form fields.
They fill the pages' own forms (SignForm, the DPA's and the instruction's DocumentForm), the
PDF is checked by its content as a page's upload is (`documents.check_upload`: a real, safe PDF
within MAX_UPLOAD_MB; anything else is a 422 naming `document`), and the areas' operations
write and audit under the version If-Match named, re-checked under their row lock. Downloads
are audited as from the web.
"""

from typing import Annotated

from pydantic import Field, create_model

from registry.api import catalogue
from registry.api.endpoints import operation
from registry.api.problems import Problem
from registry.api.resources import get_row, row_response
from registry.api.schemas import Day, Pdf, Strict
from registry.api.writes import actor, change_row, checked_pdf, refusals, validated_form
from registry.auth.access import READERS, STAFF
from registry.compliance import CLAUSE_KEYS
from registry.documents import download_response
from registry.dpas import forms as dpa_forms
from registry.dpas import operations as dpa_operations
from registry.engagements import forms as engagement_forms
from registry.engagements import operations as engagement_operations
from registry.instructions import forms as instruction_forms
from registry.instructions import operations as instruction_operations
from registry.models import Document
from registry.requests import forms as request_forms
from registry.requests import operations as request_operations
from registry.subcontractors import forms as subcontractor_forms
from registry.subcontractors import operations as subcontractor_operations
from registry.validation import LONG_TEXT_LENGTH

UPLOAD_ERRORS = (400, 404, 409, 412, 413, 415, 422, 428, 503)


class DpaSignature(Strict):
    """The signature of a draft DPA: when it was signed and is in force, and the signed PDF."""

    signed_on: Annotated[Day, Field(description="Not in the future.")]
    effective_from: Day | None = Field(None, description="Omit when in force from signing.")
    expires_on: Day | None = Field(None, description=(
        "After the start; omit to keep the draft's (none: open-ended)."))
    review_due_on: Day | None = Field(None, description="Omit to keep the draft's.")
    document: Annotated[Pdf, Field(description="The agreement as signed by both parties.")]


class SignedPdf(Strict):
    """The PDF to attach."""

    document: Pdf


FlowDownRecord = create_model(
    "FlowDownRecord", __base__=Strict,
    __doc__="A signed flow-down agreement (Art. 28(4)): the date, the clauses (a)-(h) it "
            "contains, and its PDF.",
    signed_on=(Annotated[Day, Field(description="Not in the future.")], ...),
    document=(Annotated[Pdf, Field(description="The agreement as signed.")], ...),
    **{f"clause_{key}": (bool, Field(False, description="The agreement contains this "
                                     "Art. 28(3) clause.")) for key in CLAUSE_KEYS})


class ApprovalWithPdf(Strict):
    """A controller's written approval with its PDF (the signed approval, or the e-mail)."""

    approved_on: Annotated[Day, Field(description="Not in the future.")]
    reference: Annotated[str, Field(max_length=engagement_forms.MAX_REFERENCE, description=(
        "Optional: where the original is kept."))] = ""
    document: Pdf


class AnswerWithPdf(Strict):
    """The answer given to an assistance request, with the document sent."""

    answered_on: Annotated[Day, Field(description="Not in the future, nor before it arrived.")]
    answer: Annotated[str, Field(min_length=1, max_length=LONG_TEXT_LENGTH, pattern=r"\S",
                                 description="A summary of the answer.")]
    document: Pdf


def _download(document_id, missing):
    document = Document.get_or_none(Document.id == document_id) if document_id else None
    if document is None:
        raise Problem(404, missing)
    return download_response(document)


def register(blueprint):
    """Add the PDF writes and downloads to `blueprint`."""
    dpas = catalogue.BY_PATH["dpas"]
    instructions = catalogue.BY_PATH["instructions"]
    engagements = catalogue.BY_PATH["engagements"]

    @operation(blueprint, "POST", "/dpas/<int:dpa_id>/sign", tag="DPAs", roles=STAFF,
               scope="write", body=DpaSignature, multipart=True, response=dpas.schema,
               if_match=True, errors=UPLOAD_ERRORS)
    def sign_dpa(dpa_id, body, if_match):
        """Sign a draft DPA with its signed PDF (as the Sign page does; multipart)."""

        def sign(dpa, version):
            if dpa.status != "draft":
                raise Problem(409, "This DPA has been signed already.")
            values = {"expires_on": dpa.expires_on, "review_due_on": dpa.review_due_on,
                      **body.model_dump(exclude_unset=True, exclude={"document"})}
            form = validated_form(dpa_forms.SignForm, values, files={"document": body.document})
            checked = checked_pdf(body.document)
            return dpa_operations.sign_dpa(dpa, form.dates(), checked, actor(), version)

        return change_row(dpas, dpa_id, if_match, sign, dpa_operations.DpaStateError)

    @operation(blueprint, "POST", "/dpas/<int:dpa_id>/document", tag="DPAs", roles=STAFF,
               scope="write", body=SignedPdf, multipart=True, response=dpas.schema,
               if_match=True, errors=UPLOAD_ERRORS)
    def attach_dpa_document(dpa_id, body, if_match):
        """Attach the signed PDF to a signed DPA recorded without one (multipart)."""

        def attach(dpa, version):
            dpa_operations.check_can_attach(dpa)
            form = validated_form(dpa_forms.DocumentForm, {}, files={"document": body.document})
            return dpa_operations.attach_document(dpa, form.document.data, actor(), version)

        return change_row(dpas, dpa_id, if_match, attach, dpa_operations.DpaStateError)

    @operation(blueprint, "GET", "/dpas/<int:dpa_id>/document", tag="DPAs", roles=READERS,
               media_type="application/pdf", errors=(404,))
    def download_dpa_document(dpa_id):
        """Download a DPA's signed PDF (the download is audited)."""
        return _download(get_row(dpas, dpa_id).document_id, "This DPA has no signed PDF.")

    @operation(blueprint, "POST", "/instructions/<int:instruction_id>/document",
               tag="Instructions", roles=STAFF, scope="write", body=SignedPdf, multipart=True,
               response=instructions.schema, if_match=True, errors=UPLOAD_ERRORS)
    def attach_instruction_document(instruction_id, body, if_match):
        """Attach the PDF of an instruction registered without one (multipart)."""

        def attach(instruction, version):
            instruction_operations.check_can_attach(instruction)
            form = validated_form(instruction_forms.DocumentForm, {},
                                  files={"document": body.document})
            return instruction_operations.attach_document(instruction, form.document.data,
                                                          actor(), version)

        return change_row(instructions, instruction_id, if_match, attach,
                          instruction_operations.InstructionStateError)

    @operation(blueprint, "GET", "/instructions/<int:instruction_id>/document",
               tag="Instructions", roles=READERS, media_type="application/pdf", errors=(404,))
    def download_instruction_document(instruction_id):
        """Download an instruction's PDF (the download is audited)."""
        return _download(get_row(instructions, instruction_id).document_id,
                         "This instruction has no document.")

    subcontractors = catalogue.BY_PATH["subcontractors"]
    agreements = catalogue.BY_PATH["flow_down_agreements"]

    @operation(blueprint, "POST", "/subcontractors/<int:subcontractor_id>/flow-down-agreements",
               tag="Subcontractors", roles=STAFF, scope="write", body=FlowDownRecord,
               multipart=True, response=agreements.schema, status=201,
               errors=(400, 404, 409, 413, 415, 422, 503),
               links={"GetCreatedFlowDownAgreement": ("get_flow_down_agreement",
                                                      "flow_down_agreement_id")})
    def create_flow_down_agreement(subcontractor_id, body):
        """Record a signed flow-down agreement with its PDF; it supersedes the current one (as
        the subcontractor's Flow-down form does; multipart)."""
        subcontractor = get_row(subcontractors, subcontractor_id)
        with refusals(subcontractor_operations.SubcontractorError):
            if subcontractor.status == "offboarded":
                raise subcontractor_operations.SubcontractorError(
                    f"{subcontractor.name} was offboarded; it takes no new evidence.")
            form = validated_form(subcontractor_forms.FlowDownForm,
                                  body.model_dump(exclude={"document"}),
                                  files={"file": body.document})
            agreement = subcontractor_operations.record_flow_down(
                subcontractor, form.signed_on.data, form.clauses(), checked_pdf(body.document),
                actor())
        return row_response(agreements, agreement, 201,
                            {"Location": f"/api/v1/flow-down-agreements/{agreement.id}"})

    @operation(blueprint, "GET", "/flow-down-agreements/<int:flow_down_agreement_id>/document",
               tag="Subcontractors", roles=READERS, media_type="application/pdf",
               errors=(404,))
    def download_flow_down_document(flow_down_agreement_id):
        """Download a flow-down agreement's signed PDF (the download is audited)."""
        return _download(get_row(agreements, flow_down_agreement_id).document_id,
                         "This agreement has no PDF.")

    @operation(blueprint, "POST", "/engagements/<int:engagement_id>/approval-with-pdf",
               tag="Engagements", roles=STAFF, scope="write", body=ApprovalWithPdf,
               multipart=True, response=engagements.schema, if_match=True,
               errors=UPLOAD_ERRORS)
    def record_approval_with_pdf(engagement_id, body, if_match):
        """Record a controller's written approval with its PDF (as the engagement page does;
        multipart)."""

        def approve(engagement, version):
            form = validated_form(engagement_forms.ApprovalForm, {
                "approved_on": body.approved_on, "reference": body.reference},
                files={"file": body.document})
            return engagement_operations.record_approval(
                engagement, form.approved_on.data, checked_pdf(body.document),
                form.reference.data or "", actor(), version)

        return change_row(engagements, engagement_id, if_match, approve,
                          engagement_operations.EngagementError)

    assistance = catalogue.BY_PATH["assistance_requests"]

    @operation(blueprint, "POST", "/assistance-requests/<int:assistance_request_id>/"
               "answer-with-pdf", tag="Requests", roles=STAFF, scope="write",
               body=AnswerWithPdf, multipart=True, response=assistance.schema, if_match=True,
               errors=UPLOAD_ERRORS)
    def answer_assistance_request_with_pdf(assistance_request_id, body, if_match):
        """Record the answer given to an assistance request with the document sent (once;
        multipart)."""

        def answer(row, version):
            form = validated_form(request_forms.AnswerForm, {
                "answered_on": body.answered_on, "answer": body.answer},
                files={"document": body.document})
            return request_operations.answer_assistance_request(
                row, form.answered_on.data, form.answer.data.strip(), form.upload(), version,
                actor())

        return change_row(assistance, assistance_request_id, if_match, answer,
                          request_operations.RequestError)

    @operation(blueprint, "GET", "/assistance-requests/<int:assistance_request_id>/answer/"
               "document", tag="Requests", roles=READERS, media_type="application/pdf",
               errors=(404,))
    def download_answer_document(assistance_request_id):
        """Download the document of an assistance request's answer (the download is audited)."""
        return _download(get_row(assistance, assistance_request_id).answer_document_id,
                         "This answer has no document.")

    @operation(blueprint, "GET", "/engagements/<int:engagement_id>/approval/document",
               tag="Engagements", roles=READERS, media_type="application/pdf", errors=(404,))
    def download_approval_document(engagement_id):
        """Download the PDF of a controller's written approval (the download is audited)."""
        engagement = get_row(engagements, engagement_id)
        return _download(engagement.approval_document_id,
                         "This engagement has no approval document.")
