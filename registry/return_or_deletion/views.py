"""Return-or-deletion pages: the list of items, one item with its certificate and completion."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from registry import documents
from registry.auth.access import READERS, STAFF, roles_required
from registry.auth.forms import add_errors
from registry.checks import current_snapshot
from registry.clock import local_today
from registry.compliance.return_or_deletion import finding_item_key
from registry.editing import StaleEdit
from registry.findings_links import register_finding_link, register_subject_page
from registry.listing import paginate
from registry.return_or_deletion import blueprint, operations, queries
from registry.return_or_deletion.forms import CertificateForm, CompleteForm


def _to_item(item_key):
    return redirect(url_for("return_or_deletion.show_item", item_key=item_key))


def _choices(snapshot):
    """Return (controllers, subcontractors) that have items, as (id, name) pairs by name."""
    names = queries.names_of(snapshot)
    items = queries.items_of(snapshot)
    controllers = {item.controller_id for item in items if item.controller_id is not None}
    subcontractors = {item.subcontractor_id for item in items
                      if item.subcontractor_id is not None}
    return ([(cid, names["controllers"][cid]) for cid in sorted(
                controllers, key=lambda cid: names["controllers"][cid].casefold())],
            [(sid, names["subcontractors"][sid]) for sid in sorted(
                subcontractors, key=lambda sid: names["subcontractors"][sid].casefold())])


@blueprint.get("")
@roles_required(*READERS)
def list_items():
    """List the return-or-deletion items, open ones first by due date, with filters."""
    filters = queries.ItemFilters.from_args(request.args)
    snapshot = current_snapshot()
    rows, page, pages = paginate(queries.filtered(snapshot, filters), filters.page,
                                 queries.PER_PAGE)
    controllers, subcontractors = _choices(snapshot)
    return render_template(
        "return_or_deletion/list.html", items=rows, page=page, pages=pages, filters=filters,
        names=queries.names_of(snapshot), today=snapshot.assessment.today,
        controllers=controllers, subcontractors=subcontractors,
        has_any=bool(queries.items_of(snapshot)))


def _show(snapshot, item, certificate_form=None, complete_form=None, status=200):
    evidence = queries.evidence_of(item.key)
    certificate_form = certificate_form or CertificateForm(
        formdata=None, row_version=evidence.row_version if evidence else "")
    complete_form = complete_form or CompleteForm(formdata=None,
                                                  completed_on=snapshot.assessment.today)
    return render_template(
        "return_or_deletion/show.html", item=item, evidence=evidence,
        names=queries.names_of(snapshot), today=snapshot.assessment.today,
        label=queries.label_of(item, queries.names_of(snapshot)),
        certificate_form=certificate_form, complete_form=complete_form), status


@blueprint.get("/<item_key>")
@roles_required(*READERS)
def show_item(item_key):
    """Show one item: whose data, why, by when, its certificate and completion."""
    snapshot = current_snapshot()
    return _show(snapshot, queries.get_item_or_404(snapshot, item_key))


@blueprint.post("/<item_key>/certificate")
@roles_required(*STAFF)
def upload_certificate(item_key):
    """Attach the certificate of return or deletion (a PDF checked by its content)."""
    snapshot = current_snapshot()
    item = queries.get_item_or_404(snapshot, item_key)
    form = CertificateForm()
    if form.validate():
        label = queries.label_of(item, queries.names_of(snapshot))
        try:
            checked = documents.check_upload(form.certificate.data)
            operations.record_certificate(item, checked, label,
                                          current_user._get_current_object(), local_today(),
                                          form.seen_version())
        except documents.RejectedUpload as rejected:
            add_errors(form.certificate, [rejected.reason])
        except (operations.ReturnOrDeletionError, StaleEdit) as error:
            flash(str(error), "error")
            return _to_item(item.key)
        else:
            flash(_("The certificate is attached. Mark the item completed once it confirms "
                  "the return or deletion."), "success")
            return _to_item(item.key)
    return _show(snapshot, item, certificate_form=form, status=422)


@blueprint.post("/<item_key>/complete")
@roles_required(*STAFF)
def complete_item(item_key):
    """Record, after confirmation, the day the data was returned or deleted."""
    snapshot = current_snapshot()
    item = queries.get_item_or_404(snapshot, item_key)
    form = CompleteForm()
    if form.validate():
        label = queries.label_of(item, queries.names_of(snapshot))
        try:
            operations.mark_completed(item, form.completed_on.data, label,
                                      current_user._get_current_object(), local_today())
        except operations.ReturnOrDeletionError as error:
            add_errors(form.completed_on, [str(error)])
        else:
            flash(_("The %(label)s is recorded as completed.",
                    label=label), "success")
            return _to_item(item.key)
    return _show(snapshot, item, complete_form=form, status=422)


@blueprint.get("/<item_key>/certificate.pdf")
@roles_required(*READERS)
def download_certificate(item_key):
    """Download the item's certificate."""
    item = queries.get_item_or_404(current_snapshot(), item_key)
    evidence = queries.evidence_of(item.key)
    if evidence is None or evidence.certificate is None:
        abort(404)
    return documents.download_response(evidence.certificate)


def _item_link(finding):
    return "return_or_deletion.show_item", {"item_key": finding_item_key(finding)}


for _code in ("return_or_deletion_due", "return_or_deletion_overdue"):
    register_finding_link(_code)(_item_link)
register_subject_page("return_or_deletion", "return_or_deletion.show_item", "item_key")
