"""The review queue: its page, the two decisions, revoking an acceptance, the evidence register."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from registry import audit
from registry.attestations.operations import (
    ReviewError,
    accept_attestation,
    reject_attestation,
    revoke_acceptance,
)
from registry.auth.access import READERS, STAFF, roles_required
from registry.checks import current_snapshot
from registry.clock import local_today
from registry.db import write_transaction
from registry.exports import attachment
from registry.models import utcnow
from registry.review import blueprint, queries, register
from registry.review.forms import AcceptForm, RejectForm, RevokeForm


def _me():
    return current_user._get_current_object()


@blueprint.get("")
@roles_required(*READERS)
def show_queue():
    """List the uploaded attestations waiting for review, the oldest first."""
    return _render_queue()


def _render_queue(reject_form=None, rejecting=None, status=200):
    page = request.args.get("page", 1, type=int)
    attestations, total, page, pages = queries.queue_page(page)
    return render_template(
        "review/queue.html", attestations=attestations, total=total, page=page, pages=pages,
        revocations=queries.revocations_of(attestations),
        accept_form=AcceptForm(formdata=None), reject_form=reject_form or RejectForm(formdata=None),
        rejecting=rejecting, statuses=current_snapshot().assessment.subcontractor_status,
    ), status


def _outcome_message(outcome, verb):
    attestation = outcome.attestation
    text = (f"The {attestation.attestation_type.name} of {attestation.subcontractor.name} "
            f"was {verb}.")
    if not outcome.notified:
        text += " The subcontractor could not be told by e-mail."
    return text


@blueprint.post("/<int:attestation_id>/accept")
@roles_required(*STAFF)
def accept(attestation_id):
    """Accept the attestation; the subcontractor's status and contacts are updated at once."""
    attestation = queries.get_attestation_or_404(attestation_id)
    form = AcceptForm()
    if not form.validate():
        flash(_("The form expired. Please try again."), "error")
        return redirect(url_for("review.show_queue"))
    try:
        outcome = accept_attestation(attestation, _me())
    except ReviewError as error:
        flash(str(error), "error")
    else:
        flash(_outcome_message(outcome, "accepted"),
              "success" if outcome.notified else "warning")
    return redirect(url_for("review.show_queue"))


@blueprint.post("/<int:attestation_id>/reject")
@roles_required(*STAFF)
def reject(attestation_id):
    """Reject the attestation with a reason the subcontractor reads."""
    attestation = queries.get_attestation_or_404(attestation_id)
    form = RejectForm()
    if not form.validate():
        return _render_queue(form, attestation.id, status=400)
    try:
        outcome = reject_attestation(attestation, _me(), form.reason.data)
    except ReviewError as error:
        flash(str(error), "error")
    else:
        flash(_outcome_message(outcome, "rejected"),
              "success" if outcome.notified else "warning")
    return redirect(url_for("review.show_queue"))


def _subcontractor_page(attestation):
    return redirect(url_for("subcontractors.show_subcontractor",
                            subcontractor_id=attestation.subcontractor_id,
                            _anchor="attestations"))


@blueprint.route("/<int:attestation_id>/revoke", methods=["GET", "POST"])
@roles_required(*STAFF)
def revoke(attestation_id):
    """Ask for a reason, then put an accepted attestation back to pending review."""
    attestation = queries.get_attestation_or_404(attestation_id)
    if attestation.review != "accepted":
        flash(_("This attestation is not accepted, so there is no acceptance to revoke."), "error")
        return _subcontractor_page(attestation)
    form = RevokeForm()
    if form.validate_on_submit():
        try:
            revoke_acceptance(attestation, _me(), form.reason.data)
        except ReviewError as error:
            flash(str(error), "error")
        else:
            flash(_("The acceptance of the %(name)s of %(name2)s was revoked; it waits in "
                     "the review queue again.",
                    name=attestation.attestation_type.name,
                    name2=attestation.subcontractor.name), "success")
        return _subcontractor_page(attestation)
    return render_template("review/revoke.html", attestation=attestation, form=form), (
        400 if form.errors else 200)


@blueprint.get("/register.csv", defaults={"kind": "csv"})
@blueprint.get("/register.json", defaults={"kind": "json"})
@roles_required(*READERS)
def export_register(kind):
    """Download the evidence register: every attestation, its review, who accepted it and when."""
    records = register.register_records()
    with write_transaction():
        audit.record("evidence_register.export", ("evidence_register", kind),
                     f"Exported the evidence register ({len(records)} attestations) as "
                     f"{kind.upper()}", {"attestations": len(records)})
    body = (register.register_csv(records) if kind == "csv"
            else register.register_json(records, utcnow()))
    return attachment(body, f"evidence-register-{local_today().isoformat()}.{kind}",
                      kind)
