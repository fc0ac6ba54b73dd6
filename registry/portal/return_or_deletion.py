"""Return or deletion in the portal: a company sees its own items and uploads the certificate.

Only the items whose holder is the signed-in user's company, found by the company id of the
user (never a parameter): another company's item, or the processor's own, is "not found". The
company learns whose data it must return or delete (it processed that controller's data), and
nothing else of the controller. Legal staff mark the item completed once they have read the
certificate.
"""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from registry import documents
from registry.auth.access import roles_required
from registry.auth.forms import add_errors
from registry.checks import current_snapshot
from registry.clock import local_today
from registry.editing import StaleEdit
from registry.listing import paginate
from registry.portal import blueprint
from registry.portal.access import current_subcontractor
from registry.return_or_deletion import operations, queries
from registry.return_or_deletion.forms import CertificateForm

SUBCONTRACTOR = "subcontractor"
PER_PAGE = 20


def own_items(snapshot, subcontractor):
    """Return the company's items, open ones first, each earliest due first."""
    today = snapshot.assessment.today
    items = queries.items_for_subcontractor(snapshot, subcontractor.id)
    return sorted(items, key=lambda item: (item.state(today) == "done", item.due_on, item.key))


def open_item_count(subcontractor):
    """Return how many of the company's items are due or overdue today."""
    snapshot = current_snapshot()
    today = snapshot.assessment.today
    return sum(item.state(today) != "done"
               for item in queries.items_for_subcontractor(snapshot, subcontractor.id))


@blueprint.get("/return-or-deletion")
@roles_required(SUBCONTRACTOR)
def list_return_or_deletion():
    """List the data the company must return or delete, and what it has certified."""
    subcontractor = current_subcontractor()
    snapshot = current_snapshot()
    rows, page, pages = paginate(own_items(snapshot, subcontractor),
                                 request.args.get("page", 1, type=int), PER_PAGE)
    return render_template(
        "portal/return_or_deletion.html", subcontractor=subcontractor, rows=rows, page=page,
        pages=pages, today=snapshot.assessment.today, names=queries.names_of(snapshot))


def _show(snapshot, subcontractor, item, form=None, status=200):
    evidence = queries.evidence_of(item.key)
    form = form or CertificateForm(formdata=None,
                                   row_version=evidence.row_version if evidence else "")
    names = queries.names_of(snapshot)
    return render_template(
        "portal/return_or_deletion_item.html", subcontractor=subcontractor, item=item,
        evidence=evidence, form=form, today=snapshot.assessment.today, names=names,
        label=queries.label_of(item, names, holder_known=True)), status


@blueprint.get("/return-or-deletion/<item_key>")
@roles_required(SUBCONTRACTOR)
def show_return_or_deletion(item_key):
    """Show one of the company's items and the certificate upload."""
    subcontractor = current_subcontractor()
    snapshot = current_snapshot()
    item = queries.get_item_or_404(snapshot, item_key, subcontractor_id=subcontractor.id)
    return _show(snapshot, subcontractor, item)


@blueprint.post("/return-or-deletion/<item_key>/certificate")
@roles_required(SUBCONTRACTOR)
def upload_return_or_deletion_certificate(item_key):
    """Upload the company's certificate of return or deletion (a PDF checked by content)."""
    subcontractor = current_subcontractor()
    snapshot = current_snapshot()
    item = queries.get_item_or_404(snapshot, item_key, subcontractor_id=subcontractor.id)
    form = CertificateForm()
    if form.validate():
        names = queries.names_of(snapshot)
        try:
            checked = documents.check_upload(form.certificate.data)
            operations.record_certificate(item, checked, queries.label_of(item, names),
                                          current_user._get_current_object(), local_today(),
                                          form.seen_version())
        except documents.RejectedUpload as rejected:
            add_errors(form.certificate, [rejected.reason])
        except (operations.ReturnOrDeletionError, StaleEdit) as error:
            flash(str(error), "error")
            return redirect(url_for(".show_return_or_deletion", item_key=item.key))
        else:
            flash(_("Thank you: your certificate reached us. We will confirm it."), "success")
            return redirect(url_for(".show_return_or_deletion", item_key=item.key))
    return _show(snapshot, subcontractor, item, form=form, status=422)
