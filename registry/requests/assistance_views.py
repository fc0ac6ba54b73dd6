"""Assistance request pages: the list, record, show, correct, answer (with its PDF) and the
answer document's download."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from registry import documents
from registry.auth.access import READERS, STAFF, roles_required
from registry.auth.forms import add_errors
from registry.clock import local_today
from registry.compliance.requests import ASSISTANCE_KIND_LABELS, ASSISTANCE_KINDS
from registry.editing import StaleEdit
from registry.requests import blueprint, operations, queries
from registry.requests.forms import AnswerForm, AssistanceRequestForm


def _me():
    return current_user._get_current_object()


def _to_request(row):
    return redirect(url_for("requests.show_assistance_request", request_id=row.id))


def _seen(form):
    return int(form.row_version.data) if (form.row_version.data or "").isdigit() else None


@blueprint.get("/assistance")
@roles_required(*READERS)
def list_assistance_requests():
    """List controllers' assistance requests, filterable by controller, state and kind."""
    filters = queries.ListFilters.from_args(request.args, ASSISTANCE_KINDS)
    rows, total, page, pages = queries.assistance_request_page(filters)
    today = local_today()
    return render_template(
        "requests/assistance_list.html", rows=rows, total=total, page=page, pages=pages,
        filters=filters, states={row.id: queries.assistance_status(row, today) for row in rows},
        controllers=queries.all_controller_choices(), kind_labels=ASSISTANCE_KIND_LABELS,
        has_any=total > 0 or filters.as_args(page=None))


def _form(form, include=None):
    form.controller.choices = queries.controller_choices(include)
    return form


@blueprint.route("/assistance/new", methods=["GET", "POST"])
@roles_required(*STAFF)
def create_assistance_request():
    """Record a controller's request for assistance."""
    form = _form(AssistanceRequestForm())
    if request.method == "GET" and request.args.get("controller", type=int):
        form.controller.data = request.args.get("controller", type=int)
    if form.validate_on_submit():
        try:
            row = operations.record_assistance_request(form.values(), _me())
        except operations.RequestError as error:
            form.form_errors.append(str(error))
        else:
            flash(_("Assistance request %(reference)s is recorded; it is due on "
                     "%(isoformat)s.",
                    reference=row.reference, isoformat=row.due_on.isoformat()), "success")
            return _to_request(row)
    return render_template("requests/assistance_new.html", form=form), (
        400 if form.errors else 200)


@blueprint.get("/assistance/<int:request_id>")
@roles_required(*READERS)
def show_assistance_request(request_id):
    """Show an assistance request, its due date and the answer given."""
    return _show(queries.get_assistance_request_or_404(request_id))


def _show(row, status=200, answer_form=None):
    return render_template(
        "requests/assistance_show.html", row=row, kind_labels=ASSISTANCE_KIND_LABELS,
        state=queries.assistance_status(row, local_today()),
        answer_form=answer_form or AnswerForm(formdata=None, row_version=row.row_version,
                                              answered_on=local_today())), status


@blueprint.route("/assistance/<int:request_id>/edit", methods=["GET", "POST"])
@roles_required(*STAFF)
def edit_assistance_request(request_id):
    """Correct an assistance request that is not answered yet."""
    row = queries.get_assistance_request_or_404(request_id)
    form = _form(AssistanceRequestForm(obj=None if request.method == "POST" else row),
                 include=row.controller_id)
    if request.method == "GET":
        form.controller.data = row.controller_id
    if form.validate_on_submit():
        try:
            operations.update_assistance_request(row, form.values(), _seen(form), _me())
        except (operations.RequestError, StaleEdit) as error:
            form.form_errors.append(str(error))
        else:
            flash(_("The request was updated."), "success")
            return _to_request(row)
    return render_template("requests/assistance_edit.html", form=form, row=row), (
        400 if request.method == "POST" else 200)


@blueprint.post("/assistance/<int:request_id>/answer")
@roles_required(*STAFF)
def answer_assistance_request(request_id):
    """Record the answer given to the controller, with its document."""
    row = queries.get_assistance_request_or_404(request_id)
    if row.answered_on is not None:
        flash(_("This request is answered already."), "warning")
        return _to_request(row)
    form = AnswerForm()
    if form.validate():
        try:
            operations.answer_assistance_request(row, form.answered_on.data,
                                                 form.answer.data.strip(), form.upload(),
                                                 _seen(form), _me())
        except documents.RejectedUpload as rejected:
            add_errors(form.document, [rejected.reason])
        except operations.RequestError as error:
            form.answered_on.errors = [*form.answered_on.errors, str(error)]
        except StaleEdit as error:
            flash(str(error), "error")
            return _to_request(row)
        else:
            flash(_("The answer to %(reference)s is recorded.",
                    reference=row.reference), "success")
            return _to_request(row)
    return _show(row, 400, answer_form=form)


@blueprint.get("/assistance/<int:request_id>/document")
@roles_required(*READERS)
def download_answer_document(request_id):
    """Download the answer document of an assistance request (staff and auditors)."""
    row = queries.get_assistance_request_or_404(request_id)
    if row.answer_document_id is None:
        abort(404)
    return documents.download_response(row.answer_document)
