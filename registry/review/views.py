"""The review queue page and its two decisions."""

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from registry.attestations.operations import ReviewError, accept_attestation, reject_attestation
from registry.auth.access import READERS, STAFF, roles_required
from registry.checks import current_snapshot
from registry.review import blueprint, queries
from registry.review.forms import AcceptForm, RejectForm


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
        flash("The form expired. Please try again.", "error")
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
