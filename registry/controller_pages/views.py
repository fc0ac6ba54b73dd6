"""A controller's own page, its Atom feed and PDF, and the forms it offers; no account needed.

The token in the address is the only credential: it is compared by hash, never logged by us,
and kept from other sites by `Referrer-Policy: no-referrer`. Every route is public (the token
decides) and rate-limited per address; a revoked or unknown token answers 404. The forms'
CSRF token is checked by the form itself; Flask-WTF's HTTPS Referer check is waived for these
routes (`csrf.exempt`), since a page that sends no referrer cannot pass it.
"""

import io

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from registry.auth.access import public
from registry.clock import local_today, utc_now
from registry.controller_pages import blueprint, confirmations, links, queries
from registry.controller_pages.feed import atom_feed
from registry.controller_pages.forms import ConfirmForm, ObjectionForm
from registry.extensions import csrf, limiter
from registry.i18n import company_language, in_language
from registry.mail import external_url
from registry.models import Controller, Engagement
from registry.reports.limits import ReportError
from registry.reports.render import generate_report
from registry.reports.snapshot import take_snapshot
from registry.requests.forms import TYPE_LABELS

PAGE_LIMIT = "60 per minute"
FORM_LIMIT = "10 per minute;50 per day"


@blueprint.after_request
def keep_private(response):
    """Keep the token out of search engines and other sites' logs."""
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _link_or_404(token):
    link = links.find_link(token)
    if link is None:
        abort(404)
    return link


def _seen(token):
    """Return the link's controller after counting this view (404 for an unknown token)."""
    link = _link_or_404(token)
    links.record_view(link, request.remote_addr)
    return Controller.get_by_id(link.controller_id)


def _render(token, controller, status=200, objection_form=None, open_engagement=None):
    page = queries.controller_page(controller.id, local_today())
    return render_template(
        "controller_pages/page.html", token=token, controller=controller, page=page,
        objection_form=objection_form or ObjectionForm(formdata=None),
        open_engagement=open_engagement, request_types=TYPE_LABELS), status


@blueprint.get("/<token>")
@limiter.limit(PAGE_LIMIT)
@public
def show_page(token):
    """Show the controller its DPA, sub-processors, pending changes, instructions and notices."""
    return _render(token, _seen(token))


@blueprint.get("/<token>/feed.atom")
@limiter.limit(PAGE_LIMIT)
@public
def feed(token):
    """Serve the Atom feed of the changes that concern the controller, in its language (a feed
    reader sends no Accept-Language of its reader)."""
    controller = _seen(token)
    snapshot = take_snapshot(local_today(), controller.id, generated_at=utc_now())
    with in_language(company_language(controller)):
        body = atom_feed(snapshot, controller.id, links.page_url(token),
                         external_url("controller_pages.feed", token=token))
    return body, 200, {"Content-Type": "application/atom+xml; charset=utf-8"}


@blueprint.get("/<token>/sub-processors.pdf")
@limiter.limit("10 per minute")
@public
def subprocessor_pdf(token):
    """Send the controller's sub-processor list as a PDF."""
    controller = _seen(token)
    try:
        report = generate_report("subprocessors", local_today(), controller.id, "web",
                                 generated_at=utc_now())
    except ReportError:
        flash(_("The PDF could not be made just now. Please try again in a moment."), "error")
        return redirect(url_for("controller_pages.show_page", token=token))
    return send_file(io.BytesIO(report.pdf), mimetype="application/pdf", as_attachment=True,
                     download_name=report.filename, max_age=0)


@blueprint.post("/<token>/engagements/<int:engagement_id>/objection")
@limiter.limit(FORM_LIMIT)
@csrf.exempt
@public
def object_to(token, engagement_id):
    """Ask to object to a sub-processor; the privacy contacts confirm by e-mail."""
    controller = Controller.get_by_id(_link_or_404(token).controller_id)
    page = queries.controller_page(controller.id, local_today())
    action = next((action for action in page.actions.values()
                   if action.engagement_id == engagement_id), None)
    if action is None:
        abort(404)
    form = ObjectionForm()
    if not form.validate_on_submit():
        return _render(token, controller, 400, form, engagement_id)
    if action.awaiting_confirmation:
        return _already_asked(token)
    engagement = Engagement.get_by_id(engagement_id)
    kind = "objection" if action.kind == "object" else "late_objection"
    return _requested(token, lambda: confirmations.request_confirmation(
        controller, kind, form.reason.data, engagement=engagement))


@blueprint.post("/<token>/instructions/<int:instruction_id>/confirmation")
@limiter.limit(FORM_LIMIT)
@csrf.exempt
@public
def confirm_instruction(token, instruction_id):
    """Ask to confirm that an instruction's registered text is the controller's."""
    controller = Controller.get_by_id(_link_or_404(token).controller_id)
    page = queries.controller_page(controller.id, local_today())
    line = next((line for line in page.instructions
                 if line.instruction.id == instruction_id), None)
    if line is None:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if line.awaiting_confirmation:
        return _already_asked(token)
    return _requested(token, lambda: confirmations.request_confirmation(
        controller, "instruction", "", instruction=line.instruction))


def _already_asked(token):
    # One open request per change: the page cannot be used to flood the privacy contacts.
    flash(_("A confirmation link for this was e-mailed already and still works; nothing was "
            "sent again."), "info")
    return redirect(url_for("controller_pages.show_page", token=token))


def _requested(token, make_request):
    try:
        count = make_request()
    except confirmations.ConfirmationError as error:
        flash(str(error), "error")
    else:
        flash(ngettext("We e-mailed a confirmation link to your %(num)d registered privacy "
                       "contact. Nothing changes until one of them opens it and confirms, "
                       "within %(hours)d hours.",
                       "We e-mailed a confirmation link to your %(num)d registered privacy "
                       "contacts. Nothing changes until one of them opens it and confirms, "
                       "within %(hours)d hours.", count, hours=confirmations.VALID_HOURS),
              "success")
    return redirect(url_for("controller_pages.show_page", token=token))


@blueprint.route("/confirmations/<token>", methods=["GET", "POST"])
@limiter.limit(FORM_LIMIT, methods=["POST"])
@limiter.limit(PAGE_LIMIT, methods=["GET"])
@csrf.exempt
@public
def confirm(token):
    """Show what a mailed confirmation link confirms; apply it on the button (never on GET)."""
    confirmation = confirmations.find_confirmation(token)
    if confirmation is None:
        return render_template("controller_pages/confirmation_invalid.html"), 404
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            outcome = confirmations.confirm(confirmation)
        except confirmations.ConfirmationError as error:
            return render_template("controller_pages/confirmation_invalid.html",
                                   reason=str(error)), 409
        return render_template("controller_pages/confirmed.html", outcome=outcome,
                               confirmation=confirmation)
    return render_template("controller_pages/confirm.html", confirmation=confirmation,
                           form=form), 400 if request.method == "POST" else 200
