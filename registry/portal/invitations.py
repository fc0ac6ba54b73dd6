"""Legal staff invite a subcontractor's people to its portal (`/subcontractors/<id>/invite`).

The account and its single-use link come from the sign-in area's `create_user`; the invitation
e-mail is its `send_invitation`, queued in the transaction that creates the account.
"""

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from registry.auth import notify
from registry.auth.access import STAFF, roles_required
from registry.auth.accounts import AccountError, create_user
from registry.db import write_transaction
from registry.models import Subcontractor, User
from registry.portal.forms import InviteForm

blueprint = Blueprint("portal_invitations", __name__)
DETAIL_ENDPOINT = "subcontractors.show_subcontractor"


def invite_subcontractor_user(subcontractor, email, invited_by, full_name=""):
    """Create a portal account bound to `subcontractor` and e-mail its invitation link.

    Return (user, whether the e-mail was handed over); raise AccountError when the address
    has an account already or the subcontractor was offboarded.
    """
    if subcontractor.status == "offboarded":
        raise AccountError(f"{subcontractor.name} has been offboarded: it has no portal anymore.")
    with write_transaction():  # the account and its invitation e-mail commit together
        user, token = create_user(email.strip().lower(), "subcontractor",
                                  subcontractor=subcontractor, full_name=full_name.strip(),
                                  actor=invited_by)
        return user, notify.send_invitation(user, token, invited_by=invited_by)


def invite_contact_after_reminder(subcontractor_id, email):
    """Give a company with no portal account one for its contact, after its first reminder.

    The reminder (registry.alerts.messages) goes to every contact of the company and says that
    `email` gets an invitation; the single-use link itself goes to that address alone, in the
    usual invitation e-mail (72 hours, then TOTP enrolment). Call it inside the transaction
    that records the reminder as sent. Return the new user, or None when the company got an
    account meanwhile, was offboarded, or the address belongs to someone else already.
    """
    subcontractor = Subcontractor.get_or_none(Subcontractor.id == subcontractor_id)
    if (subcontractor is None or subcontractor.status == "offboarded"
            or User.select().where(User.subcontractor == subcontractor).exists()):
        return None
    try:
        user, token = create_user(email.strip().lower(), "subcontractor",
                                  subcontractor=subcontractor, actor="system")
    except AccountError:
        return None
    notify.send_invitation(user, token)
    return user


def _back_to(subcontractor):
    if DETAIL_ENDPOINT in current_app.view_functions:
        return url_for(DETAIL_ENDPOINT, subcontractor_id=subcontractor.id)
    return url_for(".invite_user", subcontractor_id=subcontractor.id)


@blueprint.route("/subcontractors/<int:subcontractor_id>/invite", methods=["GET", "POST"])
@roles_required(*STAFF)
def invite_user(subcontractor_id):
    """Invite a person of the subcontractor to keep its evidence current in the portal."""
    subcontractor = Subcontractor.get_or_none(Subcontractor.id == subcontractor_id) or abort(404)
    form = InviteForm()
    if form.validate_on_submit():
        try:
            user, mailed = invite_subcontractor_user(
                subcontractor, form.email.data, current_user._get_current_object(),
                form.full_name.data or "",
            )
        except AccountError as error:
            form.email.errors.append(str(error))
        else:
            if mailed:
                flash(_("Invitation sent to %(email)s.", email=user.email), "success")
            else:
                flash(_("The account for %(email)s was created, but the invitation e-mail could "
                        "not be sent. Send it again from the user's page.", email=user.email),
                      "warning")
            return redirect(_back_to(subcontractor))
    status = 422 if request.method == "POST" else 200
    return render_template("portal/invite.html", subcontractor=subcontractor, form=form,
                           back_url=_back_to(subcontractor)), status
