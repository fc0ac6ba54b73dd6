"""DPA pages: show, create, edit a draft, sign, new version, terminate, attach and download."""

import re

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from registry import documents
from registry.attach import attach_pdf
from registry.auth.access import READERS, STAFF, roles_required
from registry.checks import current_snapshot
from registry.compliance import CLAUSE_KEYS, current_dpa
from registry.dpas import blueprint, operations
from registry.dpas.forms import DocumentForm, DpaForm, SignForm, TerminateForm
from registry.editing import StaleEdit
from registry.lookup import get_or_404
from registry.models import Controller, Dpa
from registry.pending_uploads import FormUpload


def _me():
    return current_user._get_current_object()


def _show(dpa, terminate_form=None, document_form=None, status=200):
    snapshot = current_snapshot()
    facts = [fact for fact in snapshot.facts.dpas if fact.controller_id == dpa.controller_id]
    current = current_dpa(facts, snapshot.assessment.today)
    findings = [finding for finding in snapshot.assessment.findings_for_controller(
        dpa.controller_id) if finding.subject_type == "dpa" and finding.subject_id == dpa.id]
    return render_template(
        "dpas/show.html", dpa=dpa, controller=dpa.controller, findings=findings,
        is_current=current is not None and current.id == dpa.id, clause_keys=CLAUSE_KEYS,
        successors=list(dpa.superseded_by), today=snapshot.assessment.today,
        terminate_form=terminate_form or TerminateForm(formdata=None),
        document_form=document_form or DocumentForm(formdata=None),
    ), status


def _to_dpa(dpa):
    return redirect(url_for("dpas.show_dpa", dpa_id=dpa.id))


@blueprint.get("/dpas/<int:dpa_id>")
@roles_required(*READERS)
def show_dpa(dpa_id):
    """Show one DPA version: terms, Art. 28(3) description and checklist, findings, actions."""
    return _show(get_or_404(Dpa, dpa_id))


def _draft_form(controller, source):
    """Create a draft from the submitted form, or render the form again; shared by two views."""
    form = DpaForm()
    if form.validate_on_submit():
        try:
            dpa = operations.create_dpa(controller, form.values(), _me(), supersedes=source)
        except operations.DpaStateError as error:
            flash(str(error), "warning")
            return redirect(url_for("controllers.show_controller", controller_id=controller.id))
        flash(_("Draft version %(version)s saved. Sign it when both parties have "
                 "signed.",
                version=dpa.version),
              "success")
        return _to_dpa(dpa)
    if request.method == "GET" and source is not None:
        form = DpaForm.from_dpa(source)
        # "Data processing agreement v2" becomes "... v3" rather than a second "v2".
        form.title.data = re.sub(rf"\bv{source.version}$", f"v{source.version + 1}",
                                 source.title)
    return render_template("dpas/form.html", form=form, controller=controller, dpa=None,
                           source=source), 400 if form.errors else 200


@blueprint.route("/controllers/<int:controller_id>/dpas/new", methods=["GET", "POST"])
@roles_required(*STAFF)
def create_dpa(controller_id):
    """Draft a DPA for a controller (a new version of its current one, if it has one)."""
    controller = get_or_404(Controller, controller_id)
    draft = operations.latest_draft(controller)
    if draft is not None:
        flash(_("Version %(version)s is already a draft; continue with it.",
                version=draft.version), "info")
        return _to_dpa(draft)
    latest = (Dpa.select().where((Dpa.controller == controller) & (Dpa.status == "signed"))
              .order_by(Dpa.version.desc()).first())
    return _draft_form(controller, latest)


@blueprint.route("/dpas/<int:dpa_id>/new-version", methods=["GET", "POST"])
@roles_required(*STAFF)
def new_version(dpa_id):
    """Start a new version from a signed DPA; it supersedes this one once signed."""
    source = get_or_404(Dpa, dpa_id)
    if source.status != "signed":
        flash(_("A new version starts from a signed DPA."), "warning")
        return _to_dpa(source)
    return _draft_form(source.controller, source)


@blueprint.route("/dpas/<int:dpa_id>/edit", methods=["GET", "POST"])
@roles_required(*STAFF)
def edit_dpa(dpa_id):
    """Edit a draft DPA (signed versions never change; start a new version instead)."""
    dpa = get_or_404(Dpa, dpa_id)
    if dpa.status != "draft":
        flash(_("A signed DPA cannot be edited. Start a new version instead."), "warning")
        return _to_dpa(dpa)
    form = DpaForm() if request.method == "POST" else DpaForm.from_dpa(dpa)
    if form.validate_on_submit():
        try:
            operations.update_draft(dpa, form.values(), _me(),
                                    request.form.get("row_version", type=int))
        except (StaleEdit, operations.DpaStateError) as refusal:
            flash(str(refusal), "error")
            return _edit_page(dpa, form), 409
        flash(_("Draft version %(version)s saved.",
                version=dpa.version), "success")
        return _to_dpa(dpa)
    return _edit_page(dpa, form), 400 if form.errors else 200


def _edit_page(dpa, form):
    return render_template("dpas/form.html", form=form, controller=dpa.controller, dpa=dpa,
                           source=dpa.supersedes)


@blueprint.route("/dpas/<int:dpa_id>/sign", methods=["GET", "POST"])
@roles_required(*STAFF)
def sign_dpa(dpa_id):
    """Record that a draft was signed: the date, when it is in force, and the signed PDF."""
    dpa = get_or_404(Dpa, dpa_id)
    if dpa.status != "draft":
        flash(_("This DPA has been signed already."), "info")
        return _to_dpa(dpa)
    form = SignForm(formdata=None, expires_on=dpa.expires_on, review_due_on=dpa.review_due_on) \
        if request.method == "GET" else SignForm()
    upload = FormUpload(form, form.document)
    checked = upload.checked()
    if checked is not None:
        try:
            operations.sign_dpa(dpa, form.dates(), checked, _me())
        except operations.DpaStateError as error:
            upload.done()  # signed meanwhile by someone else: the file is not needed
            flash(str(error), "info")
            return _to_dpa(dpa)
        else:
            upload.done()
            flash(_("Version %(version)s is signed and its PDF stored.",
                    version=dpa.version), "success")
            return redirect(url_for("controllers.show_controller",
                                    controller_id=dpa.controller_id, _anchor="dpa"))
    return render_template("dpas/sign.html", form=form, dpa=dpa, controller=dpa.controller,
                           clause_keys=CLAUSE_KEYS), 400 if form.errors else 200


@blueprint.post("/dpas/<int:dpa_id>/terminate")
@roles_required(*STAFF)
def terminate_dpa(dpa_id):
    """End a signed DPA on a date with the chosen return-or-deletion option."""
    dpa = get_or_404(Dpa, dpa_id)
    try:
        operations.check_can_terminate(dpa)  # the page of such a DPA has no termination form
    except operations.DpaStateError as error:
        flash(str(error), "warning")
        return _to_dpa(dpa)
    form = TerminateForm()
    if not form.validate():
        return _show(dpa, terminate_form=form, status=400)
    try:
        ended = operations.terminate_dpa(dpa, form.terminated_on.data,
                                         form.return_or_deletion.data, _me())
    except operations.DpaStateError as error:
        flash(str(error), "warning")
        return _to_dpa(dpa)
    flash(_("Version %(version)s ends on %(isoformat)s.",
            version=dpa.version, isoformat=ended.terminated_on.isoformat()), "success")
    return _to_dpa(dpa)


@blueprint.post("/dpas/<int:dpa_id>/document")
@roles_required(*STAFF)
def attach_document(dpa_id):
    """Attach the signed PDF to a signed DPA that has none."""
    return attach_pdf(get_or_404(Dpa, dpa_id), DocumentForm(), operations=operations,
                      state_error=operations.DpaStateError, done="The signed PDF was stored.",
                      back=_to_dpa, show=_show)


@blueprint.get("/dpas/<int:dpa_id>/document")
@roles_required(*READERS)
def download_document(dpa_id):
    """Download the signed PDF of a DPA (staff and auditors only)."""
    dpa = get_or_404(Dpa, dpa_id)
    if dpa.document_id is None:
        abort(404)
    return documents.download_response(dpa.document)
