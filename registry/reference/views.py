"""Reference-data pages: staff read them under /reference, admins change them under /admin."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from registry.auth.access import READERS, roles_required
from registry.clock import local_today
from registry.models import AdequacyDecision, AttestationType, Requirement
from registry.reference import blueprint, operations, queries
from registry.reference.forms import (
    APPLIES_TO_CHOICES,
    AdequacyDecisionForm,
    AttestationTypeForm,
    NewAdequacyDecisionForm,
    NewAttestationTypeForm,
    NewRequirementForm,
    RequirementForm,
)
from registry.subcontractors.countries import country_label

READ = "/reference"
WRITE = "/admin/reference"


def _page(template, form=None, **context):
    """Render a page; a form with errors answers 400."""
    status = 400 if form is not None and form.errors else 200
    return render_template(f"reference/{template}", form=form, **context), status


def _saved(changed, what):
    if changed:
        flash(_("%(what)s was saved.",
                what=what), "success")
    else:
        flash(_("Nothing changed."), "info")


@blueprint.get(f"{READ}/attestation-types")
@roles_required(*READERS)
def list_attestation_types():
    """List the attestation types and how long evidence of each kind counts."""
    return _page("attestation_types.html", kinds=queries.attestation_types())


@blueprint.route(f"{WRITE}/attestation-types/new", methods=["GET", "POST"])
@roles_required("admin")
def create_attestation_type():
    """Add an attestation type."""
    form = NewAttestationTypeForm()
    if form.validate_on_submit():
        kind = operations.create_attestation_type(form.values(), current_user)
        flash(_("%(name)s (%(code)s) was added.",
                name=kind.name, code=kind.code), "success")
        return redirect(url_for("reference.list_attestation_types"))
    return _page("attestation_type_form.html", form, kind=None)


@blueprint.route(f"{WRITE}/attestation-types/<int:type_id>/edit", methods=["GET", "POST"])
@roles_required("admin")
def edit_attestation_type(type_id):
    """Change an attestation type's name, validity and flags (never its code)."""
    kind = queries.get_or_404(AttestationType, type_id)
    form = AttestationTypeForm(obj=kind)
    if form.validate_on_submit():
        changed = operations.update_attestation_type(kind, form.values(), current_user)
        _saved(changed, kind.name)
        return redirect(url_for("reference.list_attestation_types"))
    return _page("attestation_type_form.html", form, kind=kind)


@blueprint.get(f"{READ}/requirements")
@roles_required(*READERS)
def list_requirements():
    """Show the requirement groups of each tier and for card data."""
    return _page("requirements.html", sections=queries.requirement_sections(),
                 retired=queries.retired_groups())


@blueprint.route(f"{WRITE}/requirements/new", methods=["GET", "POST"])
@roles_required("admin")
def create_requirement():
    """Add a requirement group for a tier or for card data."""
    offered = {choice.value for choice in APPLIES_TO_CHOICES}
    preset = request.args.get("for")
    form = NewRequirementForm(data={"applies_to": preset} if preset in offered else None)
    form.offer_types(queries.attestation_types())
    if form.validate_on_submit():
        tier, card_data = form.target()
        requirement = operations.create_requirement(
            {"key": form.key.data, "label": form.label.data, "tier": tier,
             "applies_to_card_data": card_data}, form.type_ids.data, current_user)
        flash(_("%(label)s is now required (%(section_title)s).",
                label=requirement.label, section_title=queries.section_title(requirement)),
              "success")
        return redirect(url_for("reference.list_requirements"))
    return _page("requirement_form.html", form, requirement=None)


def _live_requirement_or_redirect(requirement_id):
    """Return (group, None) for a group in force, or (None, redirect) for a retired one."""
    requirement = queries.get_or_404(Requirement, requirement_id)
    if requirement.retired_on is None:
        return requirement, None
    flash(_("%(label)s was retired on %(isoformat)s; a retired group is kept as it "
             "was.",
            label=requirement.label, isoformat=requirement.retired_on.isoformat()), "warning")
    return None, redirect(url_for("reference.list_requirements"))


@blueprint.route(f"{WRITE}/requirements/<int:requirement_id>/edit", methods=["GET", "POST"])
@roles_required("admin")
def edit_requirement(requirement_id):
    """Change a group's label and acceptable types."""
    requirement, elsewhere = _live_requirement_or_redirect(requirement_id)
    if elsewhere:
        return elsewhere
    form = RequirementForm(obj=requirement)
    form.offer_types(queries.attestation_types())
    if request.method == "GET":
        form.type_ids.data = queries.option_type_ids(requirement)
    if form.validate_on_submit():
        changed = operations.update_requirement(requirement, form.label.data,
                                                form.type_ids.data, current_user)
        _saved(changed, requirement.label)
        return redirect(url_for("reference.list_requirements"))
    return _page("requirement_form.html", form, requirement=requirement,
                 section=queries.section_title(requirement),
                 owing=queries.subcontractors_owing(requirement))


@blueprint.post(f"{WRITE}/requirements/<int:requirement_id>/retire")
@roles_required("admin")
def retire_requirement(requirement_id):
    """Retire a group: it stays on record, but nobody owes it from today."""
    requirement, elsewhere = _live_requirement_or_redirect(requirement_id)
    if elsewhere:
        return elsewhere
    operations.retire_requirement(requirement, local_today(), current_user)
    flash(_("%(label)s was retired: it is no longer required of anyone.",
            label=requirement.label), "success")
    return redirect(url_for("reference.list_requirements"))


@blueprint.get(f"{READ}/adequacy-decisions")
@roles_required(*READERS)
def list_adequacy_decisions():
    """List the adequacy decisions, marking those that lapse within 12 months."""
    today = local_today()
    return _page("adequacy.html", rows=queries.adequacy_rows(today), today=today)


@blueprint.route(f"{WRITE}/adequacy-decisions/new", methods=["GET", "POST"])
@roles_required("admin")
def create_adequacy_decision():
    """Record the adequacy decision for a country outside the EEA."""
    form = NewAdequacyDecisionForm()
    if form.validate_on_submit():
        decision = operations.create_adequacy_decision(form.values(), current_user)
        flash(_("The decision for %(country_label)s was recorded.",
                country_label=country_label(decision.country_code)),
              "success")
        return redirect(url_for("reference.list_adequacy_decisions"))
    return _page("adequacy_form.html", form, decision=None)


@blueprint.route(f"{WRITE}/adequacy-decisions/<int:decision_id>/edit", methods=["GET", "POST"])
@roles_required("admin")
def edit_adequacy_decision(decision_id):
    """Change a decision's dates or scope note; a past `valid_until` ends it."""
    decision = queries.get_or_404(AdequacyDecision, decision_id)
    form = AdequacyDecisionForm(obj=decision)
    country = country_label(decision.country_code)
    if form.validate_on_submit():
        changed = operations.update_adequacy_decision(decision, form.values(), current_user)
        _saved(changed, f"The decision for {country}")
        if changed and queries.decision_state(decision, local_today()) == "ended":
            flash(_("The decision for %(country)s is no longer in force: transfers that "
                     "rest on it now show red.",
                    country=country), "warning")
        return redirect(url_for("reference.list_adequacy_decisions"))
    return _page("adequacy_form.html", form, decision=decision, country=country,
                 relying=queries.relying_subcontractors(decision.country_code))
