"""Subcontractor pages: list, CSV export, detail, create, edit and offboard."""

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from registry.auth.access import READERS, STAFF, roles_required
from registry.chains import parent_names
from registry.checks import current_snapshot
from registry.compliance.facts import RISK_TIERS
from registry.editing import StaleEdit
from registry.engagements.queries import deadlines
from registry.formatting import counted
from registry.lookup import get_or_404
from registry.models import Subcontractor
from registry.return_or_deletion import queries as return_or_deletion_queries
from registry.subcontractors import blueprint, detail, export, operations, queries
from registry.subcontractors.countries import country_label
from registry.subcontractors.forms import OffboardForm, SubcontractorForm


def _me():
    return current_user._get_current_object()


def can_edit():
    """Tell whether the signed-in user may change subcontractors (auditors may not)."""
    return current_user.is_authenticated and current_user.role in STAFF


@blueprint.app_context_processor
def _template_helpers():
    return {"country_label": country_label, "can_edit_registry": can_edit}


@blueprint.get("")
@roles_required(*READERS)
def list_subcontractors():
    """List subcontractors with search, filters, sorting and their worst finding."""
    filters = queries.ListFilters.from_args(request.args)
    assessment = current_snapshot().assessment
    page = queries.list_page(filters, assessment)
    return render_template("subcontractors/list.html", filters=filters, listing=page,
                           parents=parent_names([row[0] for row in page.rows]),
                           tiers=RISK_TIERS, countries=queries.countries_in_use(),
                           requirement_matrix=assessment.requirement_matrix,
                           findings_for=assessment.findings_for_subcontractor)


@blueprint.get("/export.csv")
@roles_required(*READERS)
def export_subcontractors():
    """Download the filtered list as CSV (UTF-8 with BOM, safe to open in a spreadsheet)."""
    filters = queries.ListFilters.from_args(request.args)
    snapshot = current_snapshot()
    rows = queries.export_rows(filters, snapshot.assessment)
    filename = f"subcontractors-{snapshot.assessment.today.isoformat()}.csv"
    return Response(
        export.subcontractors_csv(rows, snapshot),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"',
                 "Cache-Control": "private, no-store"},
    )


@blueprint.get("/<int:subcontractor_id>")
@roles_required(*READERS)
def show_subcontractor(subcontractor_id):
    """Show a subcontractor: requirements matrix, evidence, flow-down, transfers, engagements."""
    subcontractor = get_or_404(Subcontractor, subcontractor_id)
    return _render_detail(subcontractor)


def _render_detail(subcontractor, offboard_form=None, status=200):
    snapshot = current_snapshot()
    context = detail.detail_context(subcontractor, snapshot.assessment,
                                    request.args.get("page", 1, type=int))
    context["deadlines"] = deadlines(context["engagements"], snapshot)
    context["returns"] = return_or_deletion_queries.items_for_subcontractor(snapshot,
                                                                            subcontractor.id)
    context["return_names"] = return_or_deletion_queries.names_of(snapshot)
    offboard_form = offboard_form or OffboardForm(formdata=None,
                                                  offboarded_on=context["today"])
    return render_template("subcontractors/show.html", offboard_form=offboard_form,
                           **context), status


@blueprint.route("/new", methods=["GET", "POST"])
@roles_required(*STAFF)
def new_subcontractor():
    """Add a subcontractor."""
    form = SubcontractorForm().offer_parents(queries.ChainLinks.load())
    if form.validate_on_submit():
        try:
            subcontractor = operations.create_subcontractor(form.values(), _me())
        except operations.SubcontractorError as refusal:
            form.parent.errors.append(str(refusal))
            return render_template("subcontractors/form.html", form=form,
                                   subcontractor=None), 409
        flash(_("%(name)s was added. Next: record its flow-down agreement and engage it"
                 " for the controllers whose data it will process.",
                name=subcontractor.name), "success")
        return redirect(url_for("subcontractors.show_subcontractor",
                                subcontractor_id=subcontractor.id))
    return render_template("subcontractors/form.html", form=form, subcontractor=None), (
        400 if form.errors else 200)


@blueprint.route("/<int:subcontractor_id>/edit", methods=["GET", "POST"])
@roles_required(*STAFF)
def edit_subcontractor(subcontractor_id):
    """Change a subcontractor's details."""
    subcontractor = get_or_404(Subcontractor, subcontractor_id)
    if subcontractor.status == "offboarded":
        flash(_("%(name)s was offboarded; its record can no longer be changed.",
                name=subcontractor.name),
              "warning")
        return redirect(url_for("subcontractors.show_subcontractor",
                                subcontractor_id=subcontractor.id))
    form = (SubcontractorForm() if request.method == "POST"
            else SubcontractorForm.for_subcontractor(subcontractor))
    form.offer_parents(queries.ChainLinks.load(), subcontractor)
    if form.validate_on_submit():
        try:
            changed = operations.update_subcontractor(subcontractor, form.values(), _me(),
                                                      request.form.get("row_version", type=int))
        except (StaleEdit, operations.SubcontractorError) as refusal:
            flash(str(refusal), "error")
            return render_template("subcontractors/form.html", form=form,
                                   subcontractor=subcontractor), 409
        if changed:
            flash(_("Saved the changes to %(name)s.", name=subcontractor.name), "success")
        else:
            flash(_("Nothing was changed."), "info")
        return redirect(url_for("subcontractors.show_subcontractor",
                                subcontractor_id=subcontractor.id))
    return render_template("subcontractors/form.html", form=form, subcontractor=subcontractor), (
        400 if form.errors else 200)


@blueprint.post("/<int:subcontractor_id>/offboard")
@roles_required(*STAFF)
def offboard_subcontractor(subcontractor_id):
    """Offboard the subcontractor and withdraw its engagements."""
    subcontractor = get_or_404(Subcontractor, subcontractor_id)
    form = OffboardForm()
    if not form.validate():
        return _render_detail(subcontractor, offboard_form=form, status=400)
    try:
        withdrawn = operations.offboard_subcontractor(subcontractor, form.offboarded_on.data,
                                                      _me())
    except operations.SubcontractorError as error:
        flash(str(error), "error")
        return _render_detail(subcontractor, offboard_form=form, status=400)
    ended = ("it had no open engagement" if not withdrawn else
             f"{counted(withdrawn, 'engagement')} {'was' if withdrawn == 1 else 'were'} withdrawn")
    flash(_("%(name)s was offboarded; %(ended)s, and its users can no longer sign "
             "in to the portal.",
            name=subcontractor.name, ended=ended), "success")
    return redirect(url_for("subcontractors.show_subcontractor",
                            subcontractor_id=subcontractor.id))
