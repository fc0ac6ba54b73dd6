"""Controller pages: list, CSV export, detail, create and edit."""

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from registry.auth.access import READERS, STAFF, roles_required
from registry.checks import current_snapshot
from registry.compliance import CLAUSE_KEYS, FINDING_CODES
from registry.controller_pages import links
from registry.controllers import blueprint, operations, queries
from registry.controllers.export import controllers_csv
from registry.controllers.forms import ControllerForm
from registry.editing import StaleEdit
from registry.lookup import get_or_404
from registry.models import Controller
from registry.requests.queries import requests_of_controller
from registry.return_or_deletion import queries as return_or_deletion_queries


@blueprint.get("")
@roles_required(*READERS)
def list_controllers():
    """List controllers with search, filters, sorting and pagination."""
    filters = queries.ControllerFilters.from_args(request.args)
    snapshot = current_snapshot()
    ids = queries.controller_ids(filters, snapshot)
    shown, page, pages = queries.paginate(ids, filters.page)
    return render_template(
        "controllers/list.html", rows=queries.controller_rows(shown, snapshot),
        total=len(ids), page=page, pages=pages, filters=filters, sorts=queries.SORTS,
        finding_codes=FINDING_CODES, has_any=bool(snapshot.facts.controllers),
    )


@blueprint.get("/export.csv")
@roles_required(*READERS)
def export_controllers():
    """Download the filtered controller list as CSV (UTF-8 with BOM, for Excel)."""
    filters = queries.ControllerFilters.from_args(request.args)
    snapshot = current_snapshot()
    rows = queries.controller_rows(queries.controller_ids(filters, snapshot), snapshot)
    day = snapshot.assessment.today.isoformat()
    return Response(controllers_csv(rows), content_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="controllers-{day}.csv"',
        "Cache-Control": "private, no-store"})


@blueprint.route("/new", methods=["GET", "POST"])
@roles_required(*STAFF)
def create_controller():
    """Register a new controller."""
    form = ControllerForm()
    if form.validate_on_submit():
        controller = operations.create_controller(form.values(), current_user)
        flash(_("%(name)s was added. Register its DPA next.",
                name=controller.name), "success")
        return redirect(url_for("controllers.show_controller", controller_id=controller.id))
    return render_template("controllers/form.html", form=form, controller=None), (
        400 if form.errors else 200)


@blueprint.get("/<int:controller_id>")
@roles_required(*READERS)
def show_controller(controller_id):
    """Show a controller: current DPA and checklist, history, instructions, subcontractors."""
    controller = get_or_404(Controller, controller_id)
    snapshot = current_snapshot()
    dossier = queries.controller_dossier(controller, snapshot)
    return render_template(
        "controllers/show.html", dossier=dossier, controller=controller,
        status=snapshot.assessment.controller_status.get(controller.id),
        clause_keys=CLAUSE_KEYS, today=snapshot.assessment.today,
        page_link=links.link_use(controller.id, with_url=current_user.role in STAFF),
        controller_requests=requests_of_controller(controller.id),
        returns=return_or_deletion_queries.items_for_controller(snapshot, controller.id),
        return_names=return_or_deletion_queries.names_of(snapshot),
    )


@blueprint.route("/<int:controller_id>/edit", methods=["GET", "POST"])
@roles_required(*STAFF)
def edit_controller(controller_id):
    """Change a controller's details."""
    controller = get_or_404(Controller, controller_id)
    form = ControllerForm() if request.method == "POST" else ControllerForm.for_controller(
        controller)
    if form.validate_on_submit():
        try:
            saved = operations.update_controller(controller, form.values(), current_user,
                                                 request.form.get("row_version", type=int))
        except StaleEdit as stale:
            flash(str(stale), "error")
            return render_template("controllers/form.html", form=form, controller=controller), 409
        flash(_("%(name)s was saved.",
                name=saved.name), "success")
        return redirect(url_for("controllers.show_controller", controller_id=controller.id))
    return render_template("controllers/form.html", form=form, controller=controller), (
        400 if form.errors else 200)


@blueprint.post("/<int:controller_id>/page-link")
@roles_required(*STAFF)
def issue_page_link(controller_id):
    """Issue the controller's page link, ending the one it had (the old address stops working)."""
    controller = get_or_404(Controller, controller_id)
    replaced = links.active_link(controller.id) is not None
    links.issue_link(controller, current_user)
    if replaced:
        flash(_("A new link to %(name)s's page was issued; the previous one no longer works. "
                "Notices to its privacy contacts carry it from now on.", name=controller.name),
              "success")
    else:
        flash(_("A link to %(name)s's page was issued. Notices to its privacy contacts carry it "
                "from now on.", name=controller.name), "success")
    return redirect(url_for("controllers.show_controller", controller_id=controller.id,
                            _anchor="page-link"))


@blueprint.post("/<int:controller_id>/page-link/revoke")
@roles_required(*STAFF)
def revoke_page_link(controller_id):
    """End the controller's page link without issuing a new one."""
    controller = get_or_404(Controller, controller_id)
    if links.revoke_link(controller, current_user):
        flash(_("The link to %(name)s's page no longer works. The next notice e-mail "
                 "issues a new one.",
                name=controller.name), "success")
    else:
        flash(_("%(name)s has no page link to revoke.",
                name=controller.name), "info")
    return redirect(url_for("controllers.show_controller", controller_id=controller.id,
                            _anchor="page-link"))
