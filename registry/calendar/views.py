"""The calendar feed: the user's link on /account/calendar, the feed at /calendar/<token>.ics."""

from flask import (
    Blueprint,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from registry.auth.access import EVERYONE, public, roles_required
from registry.calendar import tokens
from registry.calendar.feed import STAFF_AUDIENCE, feed_text
from registry.checks import current_snapshot
from registry.extensions import limiter
from registry.i18n import DEFAULT_LANGUAGE, LANGUAGES
from registry.models import Subcontractor

blueprint = Blueprint("calendar", __name__)
FEED_LIMIT = "30 per minute;300 per hour"


def _page(new_url=None):
    user = current_user._get_current_object()
    response = make_response(render_template(
        "account/calendar.html", feed=tokens.active_feed(user), new_url=new_url))
    if new_url:
        response.headers["Cache-Control"] = "no-store"
    return response


@blueprint.get("/account/calendar")
@roles_required(*EVERYONE)
def show_feed():
    """Show whether the user has a calendar feed link, with create and revoke buttons."""
    return _page()


@blueprint.post("/account/calendar")
@roles_required(*EVERYONE)
def create_feed():
    """Make a new feed link (the previous one stops working) and show it once."""
    token = tokens.create_feed(current_user._get_current_object())
    return _page(url_for(".feed", token=token, _external=True))


@blueprint.post("/account/calendar/revoke")
@roles_required(*EVERYONE)
def revoke_feed():
    """Revoke the user's feed link: calendars subscribed to it get nothing more."""
    if tokens.revoke_feed(current_user._get_current_object()):
        flash(_("The calendar feed link was revoked."), "success")
    return redirect(url_for(".show_feed"))


def _audience(user):
    if user.role != "subcontractor":
        return STAFF_AUDIENCE
    company = Subcontractor.get_or_none(Subcontractor.id == user.subcontractor_id)
    if company is None or company.status == "offboarded":
        return None
    return company.id


@blueprint.get("/calendar/<token>.ics")
@limiter.limit(FEED_LIMIT)
@public
def feed(token):
    """Serve the iCalendar feed of the link's user (404 for an unknown or revoked link)."""
    user = tokens.user_of(token) if len(token) <= 100 else None
    audience = _audience(user) if user is not None else None
    if audience is None:
        abort(404)
    language = user.language if getattr(user, "language", None) in LANGUAGES else DEFAULT_LANGUAGE
    response = make_response(feed_text(current_snapshot(), audience, language))
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = 'inline; filename="deadlines.ics"'
    response.headers["Cache-Control"] = "private, no-cache"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response
