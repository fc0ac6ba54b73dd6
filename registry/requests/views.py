"""Data-subject request pages: the list, record, show with the forwarding countdown, correct
(and identify the controller), forward, the controller's instruction and our tasks, close."""

from types import SimpleNamespace

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from registry.auth.access import READERS, STAFF, roles_required
from registry.clock import local_now
from registry.compliance.requests import DEFAULT_FORWARD_DAYS, REQUEST_TYPES
from registry.editing import StaleEdit
from registry.incidents.forms import with_time_hints
from registry.incidents.queries import aware, registry_zone
from registry.requests import (
    assistance_views,  # noqa: F401  (its routes join the blueprint)
    blueprint,
    delivery,
    operations,
    queries,
)
from registry.requests.forms import (
    CHANNEL_LABELS,
    TYPE_LABELS,
    CloseForm,
    ForwardForm,
    HandlingForm,
    SubjectRequestForm,
    with_unknown,
)


def _me():
    return current_user._get_current_object()


def _to_request(row, anchor=None):
    return redirect(url_for("requests.show_subject_request", request_id=row.id, _anchor=anchor))


def _seen(form):
    return int(form.row_version.data) if (form.row_version.data or "").isdigit() else None


@blueprint.get("")
@roles_required(*READERS)
def list_subject_requests():
    """List data-subject requests, filterable by controller, state and kind."""
    filters = queries.ListFilters.from_args(request.args, REQUEST_TYPES)
    rows, total, page, pages = queries.subject_request_page(filters)
    now = local_now()
    return render_template(
        "requests/list.html", rows=rows, total=total, page=page, pages=pages, filters=filters,
        views={row.id: queries.forward_view(row, now) for row in rows},
        controllers=queries.all_controller_choices(), type_labels=TYPE_LABELS,
        has_any=total > 0 or filters.as_args(page=None))


def _form(form, include=None):
    form.controller.choices = with_unknown(queries.controller_choices(include))
    return with_time_hints(form, registry_zone().key)


@blueprint.route("/new", methods=["GET", "POST"])
@roles_required(*STAFF)
def create_subject_request():
    """Record a data-subject request received by the processor."""
    form = _form(SubjectRequestForm())
    if form.validate_on_submit():
        try:
            row = operations.record_subject_request(form.values(), operations.forward_rules(),
                                                    _me())
        except operations.RequestError as error:
            form.form_errors.append(str(error))
        else:
            flash(_("Request %(reference)s is recorded. Forward it to the controller before"
                     " the deadline below.",
                    reference=row.reference), "success")
            return _to_request(row)
    return render_template("requests/new.html", form=form), 400 if form.errors else 200


@blueprint.get("/<int:request_id>")
@roles_required(*READERS)
def show_subject_request(request_id):
    """Show a data-subject request, its forwarding deadline and what was done."""
    return _show(queries.get_subject_request_or_404(request_id))


def _show(row, status=200, handling_form=None):
    return render_template(
        "requests/show.html", row=row, view=queries.forward_view(row, local_now()),
        sending=queries.is_sending(row), type_labels=TYPE_LABELS, channels=CHANNEL_LABELS,
        default_days=DEFAULT_FORWARD_DAYS,
        handling_form=handling_form or HandlingForm(formdata=None, obj=row),
        close_form=CloseForm(formdata=None, row_version=row.row_version)), status


@blueprint.route("/<int:request_id>/edit", methods=["GET", "POST"])
@roles_required(*STAFF)
def edit_subject_request(request_id):
    """Correct a request's facts or identify its controller; the deadline follows them."""
    row = queries.get_subject_request_or_404(request_id)
    data = None if request.method == "POST" else SimpleNamespace(
        received_at=aware(row.received_at), channel=row.channel, request_type=row.request_type,
        controller=row.controller_id, subject_reference=row.subject_reference,
        details=row.details, row_version=row.row_version)
    form = _form(SubjectRequestForm(obj=data), include=row.controller_id)
    if form.validate_on_submit():
        try:
            operations.update_subject_request(row, form.values(), _seen(form),
                                              operations.forward_rules(), _me())
        except (operations.RequestError, StaleEdit) as error:
            form.form_errors.append(str(error))
        else:
            flash(_("The request was updated."), "success")
            return _to_request(row)
    return render_template("requests/edit.html", form=form, row=row), (
        400 if request.method == "POST" else 200)


@blueprint.post("/<int:request_id>/forward")
@roles_required(*STAFF)
def forward_subject_request(request_id):
    """Forward the request by e-mail to the controller's privacy contacts (via the worker)."""
    row = queries.get_subject_request_or_404(request_id)
    if not ForwardForm().validate():
        flash(_("The form expired; try again."), "error")
        return _to_request(row)
    try:
        queued = operations.queue_forward(row, _me())
    except operations.RequestError as error:
        flash(str(error), "error")
    else:
        delivery.enqueue(queued)
        flash(_("The request is on its way to the controller: the page shows it as forwarded "
              "once the mail server has it."), "success")
    return _to_request(row, "forwarding")


@blueprint.post("/<int:request_id>/handling")
@roles_required(*STAFF)
def record_handling(request_id):
    """Record the controller's instruction and our assistance tasks."""
    row = queries.get_subject_request_or_404(request_id)
    form = HandlingForm()
    if form.validate():
        try:
            operations.record_handling(row, (form.instruction.data or "").strip(),
                                       (form.assistance_tasks.data or "").strip(), _seen(form),
                                       _me())
        except (operations.RequestError, StaleEdit) as error:
            flash(str(error), "error")
        else:
            flash(_("The instruction and tasks are saved."), "success")
        return _to_request(row, "handling")
    return _show(row, 400, handling_form=form)


@blueprint.post("/<int:request_id>/close")
@roles_required(*STAFF)
def close_subject_request(request_id):
    """Close a forwarded request; it stays in the list and raises no more deadlines."""
    row = queries.get_subject_request_or_404(request_id)
    form = CloseForm()
    try:
        operations.close_subject_request(row, _seen(form) if form.validate() else None, _me())
    except (operations.RequestError, StaleEdit) as error:
        flash(str(error), "error")
    else:
        flash(_("Request %(reference)s is closed.",
                reference=row.reference), "success")
    return _to_request(row)
