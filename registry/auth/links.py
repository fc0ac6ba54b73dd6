"""Single-use links: accepting an invitation and resetting a forgotten password.

Both end with a password set and lead to the second factor: a reset never bypasses TOTP.
"""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _

from registry import audit
from registry.auth import accounts, blueprint, notify, resets, sessions
from registry.auth.access import public
from registry.auth.forms import ForgotPasswordForm, NewPasswordForm, add_errors
from registry.db import write_transaction
from registry.extensions import limiter
from registry.models import User

LINK_LIMIT = "10 per minute"


def _invalid_link():
    return render_template("auth/link_invalid.html"), 404


def _use_link(token, purpose, template):
    link = accounts.find_link(token, purpose)
    if link is None or not link.user.is_active:
        return _invalid_link()
    user = link.user
    form = NewPasswordForm()
    if form.validate_on_submit():
        problems = accounts.password_problems(form.password.data, user.email)
        if not problems:
            if not accounts.consume_link(link):
                return _invalid_link()
            action = "user.invitation_accepted" if purpose == "invitation" else \
                "auth.password_reset"
            accounts.set_password(user, form.password.data, action, user)
            with write_transaction():
                sessions.begin(user, mfa_completed=False)
            if user.totp_enabled_at is None:
                return redirect(url_for("auth.enroll"))
            flash(_("Your password was set. Now enter the code from your authenticator app."),
                  "success")
            return redirect(url_for("auth.totp_step"))
        add_errors(form.password, problems)
    return render_template(template, form=form, user=user)


@blueprint.route("/invitation/<token>", methods=["GET", "POST"])
@limiter.limit(LINK_LIMIT, methods=["POST"])
@public
def accept_invitation(token):
    """Let an invited person choose a password, then enrol the authenticator app."""
    return _use_link(token, "invitation", "auth/accept_invitation.html")


@blueprint.route("/password/reset/<token>", methods=["GET", "POST"])
@limiter.limit(LINK_LIMIT, methods=["POST"])
@public
def reset_password(token):
    """Let someone with a reset link choose a new password; the TOTP step still follows."""
    return _use_link(token, "password_reset", "auth/reset_password.html")


@blueprint.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit("5 per minute;20 per hour", methods=["POST"])
@public
def forgot_password():
    """Send a reset link if the address has an account; the answer is the same either way."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        requests_this_hour = resets.record_request(form.email.data)
        user = User.get_or_none(User.email == form.email.data)
        if user is not None and user.is_active and user.password_hash is not None:
            _send_reset_link(user, requests_this_hour)
        flash(_("If that address has an account, a reset link is on its way. It works once, "
                "for one hour."), "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot_password.html", form=form)


def _send_reset_link(user, requests_this_hour):
    """Mail a new reset link, unless the address had its hourly share of them already."""
    if requests_this_hour > resets.MAILS_PER_HOUR:
        with write_transaction():
            audit.record("auth.password_reset_capped", user,
                         f"Password reset link not sent: more than {resets.MAILS_PER_HOUR} "
                         "requests within an hour", actor="anonymous")
        return
    with write_transaction():
        token = accounts.new_link(user, "password_reset")
        audit.record("auth.password_reset_requested", user,
                     "Password reset link requested", actor="anonymous")
        notify.send_password_reset(user, token)
