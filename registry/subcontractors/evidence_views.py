"""Evidence pages for legal staff: flow-down agreements, attestations uploaded on a company's
behalf, and the downloads of their documents (readers only, always as attachments)."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from registry import documents
from registry.attestations import explain, preview
from registry.attestations.operations import ReviewError, accept_attestation
from registry.auth.access import READERS, STAFF, roles_required
from registry.clock import local_today
from registry.extensions import limiter
from registry.lookup import get_or_404
from registry.models import Attestation, FlowDownAgreement, Subcontractor
from registry.pending_uploads import FormUpload
from registry.portal.forms import attestation_form
from registry.portal.queries import upload_choices
from registry.subcontractors import blueprint, operations
from registry.subcontractors.detail import current_agreement, flow_down_agreements
from registry.subcontractors.forms import FlowDownForm


def _me():
    return current_user._get_current_object()


def _back_to(subcontractor):
    return redirect(url_for("subcontractors.show_subcontractor",
                            subcontractor_id=subcontractor.id))


def _open_subcontractor_or_redirect(subcontractor_id):
    subcontractor = get_or_404(Subcontractor, subcontractor_id)
    if subcontractor.status == "offboarded":
        flash(_("%(name)s was offboarded; it takes no new evidence.", name=subcontractor.name),
              "warning")
        return subcontractor, _back_to(subcontractor)
    return subcontractor, None


@blueprint.route("/<int:subcontractor_id>/flow-down/new", methods=["GET", "POST"])
@roles_required(*STAFF)
def new_flow_down(subcontractor_id):
    """Record a signed flow-down agreement: date, clause checklist (a)-(h) and the PDF."""
    subcontractor, refusal = _open_subcontractor_or_redirect(subcontractor_id)
    if refusal:
        return refusal
    form = FlowDownForm()
    upload = FormUpload(form, form.file)
    checked = upload.checked()
    if checked is not None:
        if form.signed_on.data > local_today():
            form.signed_on.errors.append("The signing date cannot be in the future.")
            upload.keep_for_retry()
        else:
            try:
                operations.record_flow_down(subcontractor, form.signed_on.data, form.clauses(),
                                            checked, _me())
            except operations.SubcontractorError as error:
                form.signed_on.errors.append(str(error))
                upload.keep_for_retry()
            else:
                upload.done()
                missing = [str(field.label.text) for field in form.clause_fields()
                           if not field.data]
                if missing:
                    flash(_("The agreement was recorded, but it lacks: %(clauses)s. It stays red "
                            "until an agreement with every clause is signed.",
                            clauses="; ".join(missing)), "warning")
                else:
                    flash(_("The flow-down agreement was recorded."), "success")
                return _back_to(subcontractor)
    current = current_agreement(flow_down_agreements(subcontractor))
    return render_template("subcontractors/flow_down.html", form=form,
                           subcontractor=subcontractor, current=current), (
        400 if request.method == "POST" else 200)


@blueprint.get("/<int:subcontractor_id>/flow-down/<int:agreement_id>/document")
@roles_required(*READERS)
def download_flow_down(subcontractor_id, agreement_id):
    """Download the signed PDF of a flow-down agreement."""
    agreement = FlowDownAgreement.get_or_none(
        (FlowDownAgreement.id == agreement_id)
        & (FlowDownAgreement.subcontractor == subcontractor_id))
    if agreement is None or agreement.document is None:
        abort(404)
    return documents.download_response(agreement.document)


@blueprint.get("/<int:subcontractor_id>/attestations/<int:attestation_id>/document")
@roles_required(*READERS)
def download_attestation(subcontractor_id, attestation_id):
    """Download the PDF of one of the subcontractor's attestations."""
    attestation = Attestation.get_or_none((Attestation.id == attestation_id)
                                          & (Attestation.subcontractor == subcontractor_id))
    if attestation is None or attestation.document is None:
        abort(404)
    return documents.download_response(attestation.document)


@blueprint.get("/attestations/<int:attestation_id>")
@roles_required(*READERS)
def show_attestation(attestation_id):
    """Show an attestation where it lives: in its subcontractor's page (audit trail links)."""
    attestation = Attestation.get_or_none(Attestation.id == attestation_id) or abort(404)
    return redirect(url_for("subcontractors.show_subcontractor",
                            subcontractor_id=attestation.subcontractor_id,
                            _anchor="attestations"))


@blueprint.get("/flow-down/<int:agreement_id>")
@roles_required(*READERS)
def show_flow_down(agreement_id):
    """Show a flow-down agreement where it lives: in its subcontractor's page."""
    agreement = FlowDownAgreement.get_or_none(FlowDownAgreement.id == agreement_id) or abort(404)
    return redirect(url_for("subcontractors.show_subcontractor",
                            subcontractor_id=agreement.subcontractor_id, _anchor="flow-down"))


def _details(form):
    details = {"issuer": form.issuer.data.strip(),
               "reference": (form.reference.data or "").strip(),
               "scope": (form.scope.data or "").strip(), **form.dates()}
    if "standard_version" in form:
        details["standard_version"] = form.standard_version.data
    return details


@blueprint.route("/<int:subcontractor_id>/attestations/new", methods=["GET", "POST"])
@roles_required(*STAFF)
def new_attestation(subcontractor_id):
    """Upload an attestation on the subcontractor's behalf: choose its type, then the details."""
    subcontractor, refusal = _open_subcontractor_or_redirect(subcontractor_id)
    if refusal:
        return refusal
    choices = upload_choices(subcontractor)
    code = request.args.get("type")
    if not code:
        return render_template("subcontractors/choose_type.html", subcontractor=subcontractor,
                               choices=choices)
    kind = choices.find(code) or abort(404)
    form = attestation_form(kind, local_today())
    upload = FormUpload(form, form.file)
    checked = upload.checked()
    if checked is not None:
        attestation = operations.upload_on_behalf(subcontractor, kind, _details(form),
                                                checked, _me())
        upload.done()
        _flash_uploaded(attestation, kind, request.form.get("accept_now") == "yes")
        return _back_to(subcontractor)
    return render_template(
        "subcontractors/upload.html", subcontractor=subcontractor, form=form, kind=kind,
        needed_for=choices.needed_for.get(kind.code, []), rule=explain.validity_rule(kind),
    ), 400 if request.method == "POST" else 200


@blueprint.get("/<int:subcontractor_id>/attestations/validity")
@roles_required(*STAFF)
@limiter.limit(preview.PREVIEW_LIMIT)
def preview_validity(subcontractor_id):
    """Return (JSON) until when an upload of this type with the given dates would count."""
    subcontractor = get_or_404(Subcontractor, subcontractor_id)
    kind = upload_choices(subcontractor).find(request.args.get("type", "")) or abort(404)
    return preview.preview_response(kind, request.args)


def _flash_uploaded(attestation, kind, accept_now):
    if not accept_now:
        flash(_("The %(kind)s was uploaded and waits in the review queue.", kind=kind.name),
              "success")
        return
    try:
        outcome = accept_attestation(attestation, _me())
    except ReviewError as error:
        flash(_("The %(kind)s was uploaded, but not accepted: %(reason)s", kind=kind.name,
                reason=error), "warning")
        return
    flash(_("The %(kind)s was uploaded and accepted.", kind=kind.name), "success")
    if not outcome.notified:
        flash(_("The subcontractor could not be told by e-mail."), "warning")
