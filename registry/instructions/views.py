"""Instruction pages: register, show with its versions and diff, new version, acknowledge."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from registry import documents
from registry.attach import attach_pdf
from registry.auth.access import READERS, STAFF, roles_required
from registry.auth.forms import add_errors
from registry.compliance import acknowledgement_due_on
from registry.instructions import blueprint, operations
from registry.instructions.diff import word_diff
from registry.instructions.forms import DocumentForm, InstructionForm
from registry.lookup import get_or_404
from registry.models import Controller, Instruction


def _me():
    return current_user._get_current_object()


def _to_instruction(instruction):
    return redirect(url_for("instructions.show_instruction", instruction_id=instruction.id))


def _versions(instruction):
    """Return the instruction's version chain, oldest first (one query)."""
    rows = {row.id: row for row in
            Instruction.select().where(Instruction.controller == instruction.controller_id)}
    successors = {row.supersedes_id: row for row in rows.values() if row.supersedes_id}
    first = rows[instruction.id]
    while first.supersedes_id in rows:
        first = rows[first.supersedes_id]
    chain = [first]
    while chain[-1].id in successors:
        chain.append(successors[chain[-1].id])
    return chain


def _register(controller, source):
    form = InstructionForm()
    if form.validate_on_submit():
        try:
            instruction = operations.register_instruction(
                controller, form.values(), form.upload(), _me(),
                dpa=operations.current_dpa_id(controller), supersedes=source)
        except documents.RejectedUpload as rejected:
            add_errors(form.document, [rejected.reason])
        except operations.InstructionStateError as error:
            flash(str(error), "warning")
            return _to_instruction(source)
        else:
            flash(_("Instruction “%(title)s” version %(version)s registered. Acknowledge it"
                     " once the team has read it.",
                    title=instruction.title, version=instruction.version), "success")
            return _to_instruction(instruction)
    elif request.method == "GET" and source is not None:
        form = InstructionForm(formdata=None, title=source.title, text=source.text,
                               source=source.source)
    return render_template("instructions/form.html", form=form, controller=controller,
                           source=source), 400 if form.errors else 200


@blueprint.route("/controllers/<int:controller_id>/instructions/new", methods=["GET", "POST"])
@roles_required(*STAFF)
def create_instruction(controller_id):
    """Register a new documented instruction from a controller."""
    return _register(get_or_404(Controller, controller_id), None)


@blueprint.route("/instructions/<int:instruction_id>/new-version", methods=["GET", "POST"])
@roles_required(*STAFF)
def new_version(instruction_id):
    """Register a changed instruction as a new version of the latest one."""
    source = get_or_404(Instruction, instruction_id)
    if operations.is_superseded(source):
        flash(_("A newer version exists; start from the latest one."), "warning")
        return _to_instruction(_versions(source)[-1])
    return _register(source.controller, source)


@blueprint.get("/instructions/<int:instruction_id>")
@roles_required(*READERS)
def show_instruction(instruction_id):
    """Show an instruction, its versions, the diff from the previous one and its acknowledgement."""
    return _show(get_or_404(Instruction, instruction_id))


def _show(instruction, document_form=None, status=200):
    versions = _versions(instruction)
    previous = next((row for row in versions if row.id == instruction.supersedes_id), None)
    return render_template(
        "instructions/show.html", instruction=instruction, controller=instruction.controller,
        versions=versions, previous=previous, is_latest=versions[-1].id == instruction.id,
        diff=word_diff(previous.text, instruction.text) if previous else None,
        title_changed=previous is not None and previous.title != instruction.title,
        acknowledgement_due=acknowledgement_due_on(instruction),
        document_form=document_form or DocumentForm(formdata=None),
    ), status


@blueprint.post("/instructions/<int:instruction_id>/acknowledge")
@roles_required(*STAFF)
def acknowledge_instruction(instruction_id):
    """Record that you acknowledged the instruction today."""
    instruction = get_or_404(Instruction, instruction_id)
    try:
        operations.acknowledge(instruction, _me())
    except operations.InstructionStateError as error:
        flash(str(error), "info")
    else:
        flash(_("Acknowledged. Thank you."), "success")
    return _to_instruction(instruction)


@blueprint.post("/instructions/<int:instruction_id>/document")
@roles_required(*STAFF)
def attach_document(instruction_id):
    """Attach the PDF of an instruction registered without one."""
    return attach_pdf(get_or_404(Instruction, instruction_id), DocumentForm(),
                      operations=operations, state_error=operations.InstructionStateError,
                      done="The document was attached.", back=_to_instruction, show=_show)


@blueprint.get("/instructions/<int:instruction_id>/document")
@roles_required(*READERS)
def download_document(instruction_id):
    """Download an instruction's document (staff and auditors only)."""
    instruction = get_or_404(Instruction, instruction_id)
    if instruction.document_id is None:
        abort(404)
    return documents.download_response(instruction.document)
