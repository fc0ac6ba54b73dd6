"""The processor's public sub-processor page, its Atom feed and the e-mail subscription.

Off unless PUBLIC_SUBPROCESSORS is set: every route then answers 404. The page names
sub-processors, never a client. Confirmation and unsubscribe pages carry a token in their
address, so they are `noindex` and send no referrer. Unsubscribing needs no form token: the
address is the capability, and mail programs post to it in one click (RFC 8058).
"""

from email_validator import EmailNotValidError, validate_email
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from registry.auth.access import public
from registry.clock import local_today, utc_now
from registry.controller_pages import subscriptions
from registry.controller_pages.feed import atom_document
from registry.controller_pages.forms import ConfirmForm, SubscribeForm
from registry.controller_pages.public import public_changes, public_list
from registry.extensions import csrf, limiter
from registry.mail import external_url
from registry.reports.snapshot import take_snapshot

blueprint = Blueprint("public_subprocessors", __name__, url_prefix="/sub-processors")
PAGE_LIMIT = "60 per minute"


@blueprint.before_request
def only_when_published():
    """Answer 404 while the public page is switched off."""
    if not current_app.config["PUBLIC_SUBPROCESSORS"]:
        abort(404)


@blueprint.after_request
def keep_tokens_private(response):
    """Keep addresses that carry a token out of search engines and other sites' logs."""
    if request.view_args and "token" in request.view_args:
        response.headers["X-Robots-Tag"] = "noindex, nofollow"
        response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _snapshot():
    return take_snapshot(local_today(), generated_at=utc_now())


@blueprint.get("")
@limiter.limit(PAGE_LIMIT)
@public
def show_list(form=None, status=200):
    """Show the sub-processors in use and proposed, with the feed and the subscription form."""
    snapshot = _snapshot()
    in_use, proposed = public_list(snapshot)
    return render_template("controller_pages/public.html", in_use=in_use, proposed=proposed,
                           today=snapshot.today, form=form or SubscribeForm(formdata=None),
                           processor=snapshot.settings.get("processor_name")
                           or current_app.config["REGISTRY_NAME"]), status


@blueprint.get("/feed.atom")
@limiter.limit(PAGE_LIMIT)
@public
def feed():
    """Serve the Atom feed of the processor's sub-processor changes."""
    snapshot = _snapshot()
    body = atom_document("sub-processors", "Sub-processor changes", snapshot,
                         public_changes(snapshot), external_url("public_subprocessors.show_list"),
                         external_url("public_subprocessors.feed"))
    return body, 200, {"Content-Type": "application/atom+xml; charset=utf-8"}


@blueprint.post("/subscribe")
@limiter.limit("5 per hour")
@public
def subscribe():
    """Ask for a subscription; a confirmation link is mailed (double opt-in)."""
    form = SubscribeForm()
    if not form.validate_on_submit():
        return show_list(form, 400)
    try:
        address = validate_email(form.email.data, check_deliverability=False).normalized
    except EmailNotValidError as error:
        form.email.errors.append(f"This is not a valid e-mail address: {error}")
        return show_list(form, 400)
    subscriptions.subscribe(address)
    flash(_("If %(address)s is not subscribed yet, a confirmation link is on its way; it works "
            "for %(hours)d hours. Nothing is sent until you confirm.", address=address,
            hours=subscriptions.CONFIRM_HOURS), "info")
    return redirect(url_for("public_subprocessors.show_list"))


@blueprint.route("/subscription/<token>", methods=["GET", "POST"])
@limiter.limit(PAGE_LIMIT)
@csrf.exempt
@public
def confirm_subscription(token):
    """Show the confirmation button of a mailed link; subscribe on the button (never on GET)."""
    subscription = subscriptions.find_pending(token)
    if subscription is None:
        return _message("This link is not valid", "The confirmation link was used already, "
                        "has expired or is incomplete. Subscribe again on the page.", 404)
    form = ConfirmForm()
    if form.validate_on_submit():
        subscriptions.confirm(subscription)
        return _message("You are subscribed", f"{subscription.email} will get an e-mail when "
                        "our sub-processors change. Every e-mail has a link to unsubscribe.")
    return _message("Confirm your subscription", f"Send an e-mail to {subscription.email} "
                    "when our sub-processors change?", 200, form=form, button="Subscribe")


@blueprint.route("/unsubscribe/<token>", methods=["GET", "POST"])
@limiter.limit(PAGE_LIMIT)
@csrf.exempt
@public
def unsubscribe(token):
    """Unsubscribe in one click (POST, also from mail programs); GET shows the button."""
    subscription = subscriptions.find_by_unsubscribe_token(token)
    if subscription is None:
        return _message("This link is not valid", "The unsubscribe link is incomplete.", 404)
    if request.method == "POST":
        subscriptions.unsubscribe(subscription)
        return _message("You are unsubscribed",
                        f"{subscription.email} gets no more e-mails about our sub-processors.")
    return _message("Unsubscribe", f"Stop e-mailing {subscription.email} about our "
                    "sub-processors?", 200, button="Unsubscribe")


def _message(title, text, status=200, form=None, button=None):
    return render_template("controller_pages/public_message.html", title=title, text=text,
                           form=form, button=button), status
