"""Incident pages: the register, record, show with each controller's countdown, correct, add
controllers, send notices and follow-ups, close."""

from types import SimpleNamespace

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from registry.auth.access import READERS, STAFF, roles_required
from registry.checks import current_snapshot
from registry.clock import local_now
from registry.editing import StaleEdit
from registry.incidents import blueprint, delivery, operations, queries
from registry.incidents.forms import (
    AddControllersForm,
    CloseForm,
    EditIncidentForm,
    FollowUpForm,
    IncidentForm,
    NotifyForm,
    with_time_hints,
)
from registry.settings.store import load_settings


def _me():
    return current_user._get_current_object()


def _to_incident(incident, anchor=None):
    return redirect(url_for("incidents.show_incident", incident_id=incident.id, _anchor=anchor))


def _rules(day=None):
    return operations.deadline_rules(queries.registry_zone(), day)


def _hinted(form):
    return with_time_hints(form, current_app.config["TIMEZONE"])


@blueprint.get("")
@roles_required(*READERS)
def list_incidents():
    """Show the incident register (Art. 33(5)), filterable by controller and state."""
    filters = queries.RegisterFilters.from_args(request.args)
    incidents, total, page, pages = queries.register_page(filters)
    now = local_now()
    return render_template(
        "incidents/list.html", incidents=incidents, total=total, page=page, pages=pages,
        filters=filters, notices=queries.notice_rows([row.id for row in incidents], now),
        controllers=queries.controller_choices(), has_any=total > 0 or filters.as_args())


@blueprint.route("/new", methods=["GET", "POST"])
@roles_required(*STAFF)
def create_incident():
    """Record an incident and the controllers to notify."""
    form = _hinted(IncidentForm())
    form.controllers.choices = queries.controller_choices()
    form.subcontractor.choices = [SelectChoice("", "None"), *queries.subcontractor_choices()]
    if request.method == "GET":
        settings = load_settings()
        form.contact_point.data = settings["dpo_contact"] or settings["processor_contact"]
    if form.validate_on_submit():
        values = form.record_values()
        day = values["aware_at"].astimezone(queries.registry_zone()).date()
        try:
            incident = operations.record_incident(
                values, queries.affected_controllers(form, day), _rules(day), _me())
        except operations.IncidentError as error:
            form.controllers.errors.append(str(error))
        else:
            flash(_("Incident %(reference)s is recorded. Notify the controllers before "
                     "their deadlines below.",
                    reference=incident.reference), "success")
            return _to_incident(incident)
    return render_template("incidents/new.html", form=form), 400 if form.errors else 200


@blueprint.get("/<int:incident_id>")
@roles_required(*READERS)
def show_incident(incident_id):
    """Show an incident, each controller's deadline with its countdown, and the e-mails sent."""
    return _show(queries.get_incident_or_404(incident_id))


def _show(incident, status=200, **forms):
    now = local_now()
    rows = queries.notice_rows([incident.id], now).get(incident.id, [])
    listed = {row.controller.id for row in rows}
    add_form = forms.get("add_form") or AddControllersForm(formdata=None)
    add_form.controllers.choices = queries.controller_choices(excluded=listed)
    return render_template(
        "incidents/show.html", incident=incident, rows=rows, now=now,
        report=queries.subcontractor_report(incident, current_snapshot().facts),
        add_form=add_form, follow_up_form=forms.get("follow_up_form") or FollowUpForm(
            formdata=None), close_form=CloseForm(formdata=None, row_version=incident.row_version),
        open_form=forms.get("open_form"),
        default_hours=current_app.config["BREACH_NOTICE_DEFAULT_HOURS"]), status


@blueprint.route("/<int:incident_id>/edit", methods=["GET", "POST"])
@roles_required(*STAFF)
def edit_incident(incident_id):
    """Correct or complete what is known of the incident."""
    incident = queries.get_incident_or_404(incident_id)
    form = _hinted(EditIncidentForm(obj=None if request.method == "POST" else _edit_data(incident)))
    if form.validate_on_submit():
        try:
            operations.update_incident(incident, form.values(), _seen(form), _me(), _rules())
        except StaleEdit as error:
            form.form_errors.append(str(error))
        else:
            flash(_("The incident was updated. Send the controllers already notified a "
                  "follow-up if they need to know."), "success")
            return _to_incident(incident)
    return render_template("incidents/edit.html", form=form, incident=incident), (
        400 if request.method == "POST" else 200)


def _edit_data(incident):
    fields = ("title", "nature", "data_subject_categories", "data_subject_count",
              "record_categories", "record_count", "likely_consequences", "measures",
              "contact_point", "row_version")
    return SimpleNamespace(aware_at=queries.aware(incident.aware_at),
                           **{name: getattr(incident, name) for name in fields})


def _seen(form):
    return int(form.row_version.data) if (form.row_version.data or "").isdigit() else None


@blueprint.post("/<int:incident_id>/controllers")
@roles_required(*STAFF)
def add_controllers(incident_id):
    """Add controllers found to be affected later; their deadlines count from awareness."""
    incident = queries.get_incident_or_404(incident_id)
    form = AddControllersForm()
    form.controllers.choices = queries.controller_choices()
    if form.validate():
        try:
            added = operations.add_controllers(incident, form.controllers.data, _rules(), _me())
        except operations.IncidentError as error:
            form.controllers.errors.append(str(error))
        else:
            flash(_("%(counted)s added. Notify them now.",
                    counted=ngettext("%(num)d controller", "%(num)d controllers", added)),
                  "success")
            return _to_incident(incident, "notices")
    return _show(incident, 400, add_form=form, open_form="add")


@blueprint.post("/<int:incident_id>/notify")
@roles_required(*STAFF)
def send_notices(incident_id):
    """Send the first notice to one controller, or to every controller not notified yet."""
    incident = queries.get_incident_or_404(incident_id)
    form = NotifyForm()
    chosen = [form.notice.data] if form.validate() and form.notice.data else None
    try:
        queued = operations.queue_notices(incident, _me(), chosen)
    except operations.IncidentError as error:
        flash(str(error), "error")
    else:
        delivery.enqueue(queued)
        flash(_("The notice to %(counted)s is on its way: the page shows each one as "
                 "sent once the mail server has it.",
                counted=ngettext("%(num)d controller", "%(num)d controllers", len(queued))),
              "success")
    return _to_incident(incident, "notices")


@blueprint.post("/<int:incident_id>/follow-up")
@roles_required(*STAFF)
def send_follow_up(incident_id):
    """Send what has been learnt since (Art. 33(4)) to every controller notified so far."""
    incident = queries.get_incident_or_404(incident_id)
    form = FollowUpForm()
    if form.validate():
        try:
            queued = operations.queue_follow_up(incident, form.text.data.strip(), _me())
        except operations.IncidentError as error:
            flash(str(error), "error")
            return _to_incident(incident, "notices")
        else:
            delivery.enqueue(queued)
            flash(_("The follow-up to %(counted)s is on its way.",
                    counted=ngettext("%(num)d controller", "%(num)d controllers", len(queued))),
                  "success")
            return _to_incident(incident, "notices")
    return _show(incident, 400, follow_up_form=form, open_form="follow-up")


@blueprint.post("/<int:incident_id>/close")
@roles_required(*STAFF)
def close_incident(incident_id):
    """Close the incident (every affected controller notified); it stays in the register."""
    incident = queries.get_incident_or_404(incident_id)
    form = CloseForm()
    try:
        operations.close_incident(incident, _seen(form) if form.validate() else None, _me())
    except (operations.IncidentError, StaleEdit) as error:
        flash(str(error), "error")
    else:
        flash(_("Incident %(reference)s is closed. It stays in the register.",
                reference=incident.reference), "success")
    return _to_incident(incident)

