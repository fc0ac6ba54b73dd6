"""First-time enrolment of the authenticator app (after an invitation, a reset or an MFA reset)."""

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from markupsafe import Markup

from registry.auth import blueprint, notify, operations, sessions, totp
from registry.auth.access import public
from registry.auth.forms import CodeForm
from registry.auth.landing import landing_url, safe_next
from registry.auth.views import already_accepted
from registry.db import write_transaction
from registry.extensions import limiter


def grouped(secret):
    """Return a base32 secret in groups of four, easier to type into an app."""
    return " ".join(secret[index:index + 4] for index in range(0, len(secret), 4))


def _finish(user, secret):
    """Activate the secret, sign in, tell the user by e-mail and show the recovery codes."""
    with write_transaction():  # the enrolment and its e-mail commit together
        codes = operations.finish_enrolment(user, secret)
        if codes is not None:
            notify.send_mfa_enrolled(user, request.remote_addr)
    if codes is None:  # another session of the account enrolled first
        return redirect(url_for("auth.totp_step"))
    operations.complete_sign_in(user, "totp_enrolment")
    target = safe_next(session.pop("next", None)) or landing_url(user)
    return render_template("auth/recovery_codes.html", codes=codes, user=user,
                           continue_url=target, first_time=True)


@blueprint.route("/mfa/enroll", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
@public
def enroll():
    """Show the QR code and key of a new TOTP secret; activate it once a code matches."""
    user = sessions.pending_user()
    if user is None:
        flash(_("Sign in with your e-mail address and password first."), "info")
        return redirect(url_for("auth.login"))
    if user.totp_enabled_at is not None:
        return redirect(url_for("auth.totp_step"))
    secret = operations.pending_secret()
    form = CodeForm()
    if form.validate_on_submit():
        if operations.is_throttled(user):
            operations.record_refusal(user, "totp_enrolment")
            form.code.errors = [_("Too many failed attempts. Wait a few minutes and try again.")]
        else:
            result = totp.verify(user.id, secret, form.code.data,
                                 session_id=sessions.current_row_id())
            if result == totp.ACCEPTED:
                return _finish(user, secret)
            if result == totp.DUPLICATE:
                return already_accepted()
            operations.record_failure(user, "totp_enrolment")
            form.code.errors = [_("That code does not match. Scan the QR code again, or check "
                                  "that your phone's clock is right.")]
    uri = totp.provisioning_uri(secret, user.email, current_app.config["REGISTRY_NAME"])
    # The SVG is segno's output for our own URI (no user text in markup): safe to embed.
    qr_svg = Markup(totp.qr_svg(uri))  # noqa: S704
    return render_template("auth/enroll.html", form=form, user=user, qr_svg=qr_svg,
                           secret=grouped(secret))
