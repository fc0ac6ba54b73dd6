"""The web pages around the API: personal tokens (/account/api-tokens) and the reference.

These are ordinary signed-in pages (session, CSRF); the API itself never sees the session.
"""

from flask import (
    Blueprint,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from registry.api import spec, tokens
from registry.api.models import ApiToken
from registry.auth.access import EVERYONE, public, roles_required
from registry.models import utcnow

blueprint = Blueprint("api_pages", __name__)


SHOWN_ONCE = "api_token_shown_once"


@blueprint.get("/account/api-tokens")
@roles_required(*EVERYONE)
def list_tokens():
    """List the user's API tokens and offer a new one; show a just-created token's secret once.

    The secret waits in the (server-side) session from the POST that created it and is taken
    out as it is shown, so a reload shows it no more and creates nothing.
    """
    issued = _take_shown_once()
    response, status = _render(issued=issued)
    if issued is None:
        return response, status
    response = make_response(response, status)
    response.headers["Cache-Control"] = "no-store"
    return response


def _take_shown_once():
    kept = session.pop(SHOWN_ONCE, None)
    if not kept:
        return None
    row = ApiToken.get_or_none((ApiToken.id == kept["id"]) & (ApiToken.user == current_user.id))
    return tokens.Issued(row=row, secret=kept["secret"]) if row is not None else None


def _render(issued=None, error=None, status=200):
    user = current_user._get_current_object()
    return render_template(
        "api/tokens.html", tokens=tokens.tokens_of(user), issued=issued, error=error,
        now=utcnow(), may_write=user.role in tokens.WRITE_ROLES,
        default_days=tokens.DEFAULT_DAYS, max_days=tokens.MAX_DAYS), status


@blueprint.post("/account/api-tokens")
@roles_required(*EVERYONE)
def create_token():
    """Create a token, then show it on the list page (Post/Redirect/Get), once."""
    user = current_user._get_current_object()
    days = request.form.get("expires_days", type=int) or 0
    try:
        issued = tokens.issue(user, request.form.get("name"), request.form.get("scope", "read"),
                              days)
    except tokens.TokenError as error:
        return _render(error=str(error), status=400)
    session[SHOWN_ONCE] = {"id": issued.row.id, "secret": issued.secret}
    return redirect(url_for("api_pages.list_tokens"))


@blueprint.post("/account/api-tokens/<int:credential_id>/revoke")
@roles_required(*EVERYONE)
def revoke_token(credential_id):
    """Revoke one of the user's own tokens."""
    row = ApiToken.get_or_none((ApiToken.id == credential_id)
                               & (ApiToken.user == current_user.id))
    if row is None:
        abort(404)
    if tokens.revoke(row, current_user._get_current_object()):
        flash(_("The token “%(name)s” no longer works.", name=row.name), "success")
    else:
        flash(_("The token “%(name)s” was revoked already.", name=row.name), "info")
    return redirect(url_for("api_pages.list_tokens"))


@blueprint.get("/api-reference")
@public
def show_reference():
    """The API reference, rendered on the server from the OpenAPI document (no scripts)."""
    document = spec.document(url_for("api.openapi_document").rsplit("/", 1)[0])
    return render_template("api/reference.html", document=document)
