"""Engagement pages: list, engage, detail, notify controllers, objection, approval, withdraw."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from registry import audit, documents
from registry.auth.access import READERS, STAFF, roles_required
from registry.checks import current_snapshot
from registry.clock import local_today
from registry.engagements import blueprint, delivery, notices, operations, queries, readiness
from registry.engagements.forms import ApprovalForm, EngagementForm, ObjectionForm, WithdrawForm
from registry.lookup import get_or_404
from registry.models import Controller, Engagement, Subcontractor


def _me():
    return current_user._get_current_object()


def _to_engagement(engagement):
    return redirect(url_for("engagements.show_engagement", engagement_id=engagement.id))


@blueprint.get("")
@roles_required(*READERS)
def list_engagements():
    """List engagements by derived status, the nearest objection deadline first."""
    filters = queries.ListFilters.from_args(request.args)
    rows, total, page, pages, counts = queries.list_page(filters, current_snapshot())
    return render_template("engagements/list.html", rows=rows, total=total, page=page,
                           pages=pages, counts=counts, filters=filters)


@blueprint.route("/new/<int:subcontractor_id>", methods=["GET", "POST"])
@roles_required(*STAFF)
def new_engagement(subcontractor_id):
    """Engage a subcontractor for one, several or all controllers."""
    subcontractor = get_or_404(Subcontractor, subcontractor_id)
    if subcontractor.status == "offboarded":
        flash(_("%(name)s was offboarded and cannot be engaged.",
                name=subcontractor.name), "warning")
        return redirect(url_for("subcontractors.show_subcontractor",
                                subcontractor_id=subcontractor.id))
    form = EngagementForm()
    if request.method == "GET":
        form.proposed_on.data = local_today()
    form.controllers.choices = queries.engageable_controller_choices(subcontractor)
    if form.validate_on_submit():
        chosen = (None if form.scope.data == "all" else list(
            Controller.select().where(Controller.id.in_(form.controllers.data))))
        try:
            created = operations.add_engagements(
                subcontractor, chosen, form.proposed_on.data, form.on_list_at_signing.data,
                (form.notes.data or "").strip(), _me())
        except operations.EngagementError as error:
            form.controllers.errors.append(str(error))
        else:
            flash(_engaged_message(subcontractor, created, form.on_list_at_signing.data),
                  "success")
            return redirect(url_for("subcontractors.show_subcontractor",
                                    subcontractor_id=subcontractor.id, _anchor="engagements"))
    return render_template("engagements/new.html", form=form, subcontractor=subcontractor), (
        400 if request.method == "POST" else 200)


def _engaged_message(subcontractor, created, on_list):
    who = (_("all controllers") if created[0].controller_id is None
           else ngettext("%(num)d controller", "%(num)d controllers", len(created)))
    if on_list:
        return _("%(name)s is engaged for %(who)s (authorised: on the list at signing).",
                 name=subcontractor.name, who=who)
    return _("%(name)s is engaged for %(who)s. Next: notify the controllers, so that their "
             "objection period starts.", name=subcontractor.name, who=who)


@blueprint.get("/<int:engagement_id>")
@roles_required(*READERS)
def show_engagement(engagement_id):
    """Show an engagement: its facts, its status and deadline per controller, and actions."""
    engagement = queries.get_engagement_or_404(engagement_id)
    return _render(engagement)


def _render(engagement, status=200, **forms):
    snapshot = current_snapshot()
    today = snapshot.assessment.today
    context = {
        "objection_form": forms.get("objection_form") or _objection_form(
            engagement, formdata=None, objected_on=today),
        "approval_form": forms.get("approval_form") or ApprovalForm(formdata=None,
                                                                    approved_on=today),
        "withdraw_form": forms.get("withdraw_form") or WithdrawForm(formdata=None,
                                                                    withdrawn_on=today),
    }
    return render_template(
        "engagements/show.html", engagement=engagement,
        status=snapshot.assessment.engagement_status.get(engagement.id, "proposed"),
        standings=queries.standings(engagement, snapshot),
        deadline=queries.deadlines([engagement], snapshot).get(engagement.id),
        findings=[finding for finding in snapshot.assessment.findings_for_subcontractor(
            engagement.subcontractor_id) if finding.subject_type == "engagement"
            and finding.subject_id == engagement.id][:20],
        open_form=forms.get("open_form"), **context), status


def _notify(subcontractor, engagements):
    """Record and mail the notices for `engagements`; flash what happened."""
    pending = [engagement for engagement in engagements
               if engagement.notified_on is None and engagement.withdrawn_on is None]
    if not pending:
        flash(_("The controllers were notified already."), "info")
        return
    try:
        planned = notices.plan_notices(pending, current_snapshot().facts, local_today())
    except notices.NoticeError as error:
        flash(str(error), "error")
        return
    recorded = notices.record_notices(subcontractor, pending, planned, _me())
    if not recorded:
        flash(_("The controllers were notified already about %(name)s.",
                name=subcontractor.name), "info")
        return
    delivery.deliver(recorded, subcontractor, _me())
    notified = len({notice.controller_id for notice in recorded})
    controllers = ngettext("%(num)d controller", "%(num)d controllers", notified)
    flash(_("Notified %(controllers)s about %(name)s: %(counted)s on the way; the "
             "engagement page shows when they have gone out.",
            controllers=controllers, name=subcontractor.name,
            counted=ngettext("%(num)d e-mail", "%(num)d e-mails", len(recorded))), "success")


def _gap_warning(subcontractor, back_url):
    """Return the warning page when a notice would announce an unready subcontractor, else None.

    Sent again from that page with the confirmation, the notice goes out (the warning is
    recorded in the audit trail with the notices).
    """
    gaps = readiness.notice_gaps(subcontractor.id)
    if not gaps:
        return None
    if readiness.confirmed(request.form):
        audit.record("engagement.notice_despite_gaps", subcontractor,
                     f"Notice about {subcontractor.name} sent despite: "
                     + "; ".join(finding.message for finding in gaps),
                     {"findings": [finding.code for finding in gaps]})
        return None
    return render_template("engagements/notice_warning.html", subcontractor=subcontractor,
                           gaps=gaps, action=request.path, back_url=back_url,
                           confirm_field=readiness.CONFIRM_FIELD), 409


@blueprint.post("/<int:engagement_id>/notify")
@roles_required(*STAFF)
def notify_engagement(engagement_id):
    """Notify the engagement's controller(s) and start the objection period."""
    engagement = queries.get_engagement_or_404(engagement_id)
    back_url = url_for("engagements.show_engagement", engagement_id=engagement.id)
    warning = _gap_warning(engagement.subcontractor, back_url)
    if warning:
        return warning
    _notify(engagement.subcontractor, [engagement])
    return _to_engagement(engagement)


@blueprint.post("/subcontractor/<int:subcontractor_id>/notify")
@roles_required(*STAFF)
def notify_subcontractor(subcontractor_id):
    """Notify the controllers of every proposed engagement of a subcontractor at once."""
    subcontractor = get_or_404(Subcontractor, subcontractor_id)
    back_url = url_for("subcontractors.show_subcontractor", subcontractor_id=subcontractor.id,
                       _anchor="engagements")
    warning = _gap_warning(subcontractor, back_url)
    if warning:
        return warning
    engagements = list(Engagement.select().where(
        (Engagement.subcontractor == subcontractor) & Engagement.notified_on.is_null()
        & Engagement.withdrawn_on.is_null() & Engagement.approved_on.is_null()
        & ~Engagement.on_list_at_signing))
    _notify(subcontractor, engagements)
    return redirect(back_url)


@blueprint.post("/<int:engagement_id>/resend")
@roles_required(*STAFF)
def resend_notice(engagement_id):
    """Send a recorded notice again (after a delivery failure), with the same deadline."""
    engagement = queries.get_engagement_or_404(engagement_id)
    if engagement.notified_on is None or engagement.withdrawn_on is not None:
        flash(_("There is no recorded notice to send again."), "info")
        return _to_engagement(engagement)
    try:
        planned = notices.plan_notices([engagement], current_snapshot().facts, local_today())
    except notices.NoticeError as error:
        flash(str(error), "error")
        return _to_engagement(engagement)
    delivery.deliver(planned, engagement.subcontractor, _me())
    flash(_("The notice is being sent again; the page shows when it has gone out."), "success")
    return _to_engagement(engagement)


@blueprint.post("/<int:engagement_id>/objection")
@roles_required(*STAFF)
def record_objection(engagement_id):
    """Record the controller's objection."""
    engagement = queries.get_engagement_or_404(engagement_id)
    form = _objection_form(engagement)
    if form.validate():
        controller = (Controller.get_or_none(Controller.id == form.controller.data)
                      if engagement.controller_id is None else None)
        try:
            objected = operations.record_objection(engagement, form.objected_on.data,
                                                   form.note.data, _me(), controller)
        except operations.EngagementError as error:
            form.note.errors.append(str(error))
        else:
            flash(_("The objection was recorded. The engagement stays red until you withdraw "
                  "it (the subcontractor must not process this controller's data)."), "success")
            return _to_engagement(objected)
    return _render(engagement, 400, objection_form=form, open_form="objection")


def _objection_form(engagement, **options):
    form = ObjectionForm(**options)
    if engagement.controller_id is None:
        form.controller.choices = queries.active_controller_choices()
    return form


@blueprint.post("/<int:engagement_id>/approval")
@roles_required(*STAFF)
def record_approval(engagement_id):
    """Record the controller's written approval, with its PDF when there is one."""
    engagement = queries.get_engagement_or_404(engagement_id)
    form = ApprovalForm()
    if form.validate():
        try:
            upload = documents.check_upload(form.file.data) if form.file.data else None
            operations.record_approval(engagement, form.approved_on.data, upload,
                                       form.reference.data or "", _me())
        except documents.RejectedUpload as refused:
            form.file.errors.append(refused.reason)
        except operations.EngagementError as error:
            form.approved_on.errors.append(str(error))
        else:
            flash(_("The written approval was recorded."), "success")
            return _to_engagement(engagement)
    return _render(engagement, 400, approval_form=form, open_form="approval")


@blueprint.post("/<int:engagement_id>/withdraw")
@roles_required(*STAFF)
def withdraw_engagement(engagement_id):
    """Withdraw the engagement."""
    engagement = queries.get_engagement_or_404(engagement_id)
    form = WithdrawForm()
    if form.validate():
        try:
            operations.withdraw_engagement(engagement, form.withdrawn_on.data, _me())
        except operations.EngagementError as error:
            form.withdrawn_on.errors.append(str(error))
        else:
            flash(_("The engagement was withdrawn."), "success")
            return _to_engagement(engagement)
    return _render(engagement, 400, withdraw_form=form, open_form="withdraw")


@blueprint.get("/<int:engagement_id>/approval/document")
@roles_required(*READERS)
def download_approval(engagement_id):
    """Download the PDF of the controller's written approval."""
    engagement = queries.get_engagement_or_404(engagement_id)
    if engagement.approval_document is None:
        abort(404)
    return documents.download_response(engagement.approval_document)
