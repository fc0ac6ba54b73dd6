"""The two sign-in steps, the recovery-code alternative, and logout."""

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from registry import audit
from registry.auth import blueprint, notify, operations, passwords, sessions, totp
from registry.auth.access import SIGN_IN_LIMIT, public
from registry.auth.forms import CodeForm, LoginForm, RecoveryForm
from registry.auth.landing import landing_url, safe_next
from registry.db import write_transaction
from registry.extensions import limiter
from registry.models import User

GENERIC_FAILURE = _l("The e-mail address or password is not right, or the account is paused "
                     "for a few minutes after repeated failures.")


def _after_sign_in(user):
    target = safe_next(session.pop("next", None))
    return redirect(target or landing_url(user))


def _check_password(form):
    """Return the user when the password step succeeds, else None (same path for every miss)."""
    user = User.get_or_none(User.email == form.email.data)
    hash_ = user.password_hash if user is not None and sessions.may_sign_in(user) else None
    matches = passwords.verify_password(hash_, form.password.data,
                                        current_app.config["PASSWORD_HASH_PROFILE"])
    if user is None or hash_ is None:
        return None
    if operations.is_throttled(user):
        operations.record_refusal(user, "password")
        return None
    if not matches:
        operations.record_failure(user, "password")
        return None
    return user


@blueprint.route("/login", methods=["GET", "POST"])
@limiter.limit(SIGN_IN_LIMIT, methods=["POST"])
@public
def login():
    """Ask for the e-mail address and password (first step)."""
    if current_user.is_authenticated:
        return redirect(landing_url(current_user))
    form = LoginForm()
    if form.validate_on_submit():
        user = _check_password(form)
        if user is not None:
            next_target = safe_next(request.args.get("next"))
            operations.accept_password(user, form.password.data)
            if next_target:
                session["next"] = next_target
            if user.totp_enabled_at is None:
                return redirect(url_for("auth.enroll"))
            return redirect(url_for("auth.totp_step"))
        form.password.errors = [GENERIC_FAILURE]
    return render_template("auth/login.html", form=form)


def already_accepted():
    """Answer this session's second copy of a code its first copy used (a double click).

    The first request signed in and gave the browser a new session id; this one neither counts
    a failure nor warns anyone, it only sends the browser on.
    """
    return redirect(url_for("auth.login"))


def _pending_with_totp():
    user = sessions.pending_user()
    return user if user is not None and user.totp_enabled_at is not None else None


@blueprint.route("/login/totp", methods=["GET", "POST"])
@limiter.limit(SIGN_IN_LIMIT, methods=["POST"])
@public
def totp_step():
    """Ask for the code from the authenticator app (second step)."""
    user = _pending_with_totp()
    if user is None:
        flash(_("Sign in with your e-mail address and password first."), "info")
        return redirect(url_for("auth.login"))
    form = CodeForm()
    if form.validate_on_submit():
        if operations.is_throttled(user):
            operations.record_refusal(user, "totp")
            form.code.errors = [_("Too many failed attempts. Wait a few minutes and try again.")]
        else:
            result = totp.verify(user.id, operations.secret_for(user), form.code.data,
                                 session_id=sessions.current_row_id())
            if result == totp.ACCEPTED:
                operations.complete_sign_in(user, "totp")
                return _after_sign_in(user)
            if result == totp.DUPLICATE:
                return already_accepted()
            if result == totp.REPLAYED:
                operations.record_replay(user)
                notify.send_reused_code_warning(user, request.remote_addr)
                form.code.errors = [_("This code was used already. Wait for the next one.")]
            else:
                operations.record_failure(user, "totp")
                form.code.errors = [_("That code is not right. Check the time on your phone.")]
    return render_template("auth/totp.html", form=form, user=user)


@blueprint.route("/login/recovery", methods=["GET", "POST"])
@limiter.limit(SIGN_IN_LIMIT, methods=["POST"])
@public
def recovery_step():
    """Accept a recovery code instead of the app's code."""
    user = _pending_with_totp()
    if user is None:
        flash(_("Sign in with your e-mail address and password first."), "info")
        return redirect(url_for("auth.login"))
    form = RecoveryForm()
    if form.validate_on_submit():
        if operations.is_throttled(user):
            operations.record_refusal(user, "recovery_code")
            form.code.errors = [_("Too many failed attempts. Wait a few minutes and try again.")]
        elif operations.use_recovery_code(user, form.code.data):
            operations.complete_sign_in(user, "recovery_code")
            remaining = operations.remaining_recovery_codes(user)
            notify.send_recovery_code_used(user, remaining, request.remote_addr)
            flash(_("You signed in with a recovery code; %(remaining)s unused codes are left. "
                    "Create new ones on your account page if you lost your authenticator.",
                    remaining=remaining), "warning")
            return _after_sign_in(user)
        else:
            operations.record_failure(user, "recovery_code")
            form.code.errors = [_("That recovery code is not valid or was used already.")]
    return render_template("auth/recovery.html", form=form)


@blueprint.post("/logout")
@public
def logout():
    """End the session (POST only; the CSRF check runs before every POST)."""
    user = sessions.signed_in_user() or sessions.pending_user()
    if user is not None:
        with write_transaction():
            audit.record("auth.logout", user, "Signed out", actor=user)
    sessions.end_current()
    flash(_("You have signed out."), "success")
    return redirect(url_for("auth.login"))
