"""The signed-in user's own account: password, sessions, recovery codes."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from registry import audit
from registry.auth import accounts, blueprint, notify, operations, passwords, sessions, totp
from registry.auth.access import EVERYONE, roles_required
from registry.auth.forms import (
    ChangePasswordForm,
    ConfirmForm,
    LanguageForm,
    RegenerateCodesForm,
    add_errors,
)
from registry.db import write_transaction
from registry.models import UserSession, utcnow


def _render(password_form=None, codes_form=None, language_form=None):
    user = current_user._get_current_object()
    return render_template(
        "account/show.html",
        user=user,
        language_form=language_form or LanguageForm(formdata=None, language=user.language or ""),
        password_form=password_form or ChangePasswordForm(formdata=None),
        codes_form=codes_form or RegenerateCodesForm(formdata=None),
        end_form=ConfirmForm(formdata=None),
        open_sessions=sessions.open_sessions(user),
        current_row_id=sessions.current_row_id(),
        remaining_codes=operations.remaining_recovery_codes(user),
    )


@blueprint.get("/account")
@roles_required(*EVERYONE)
def show_account():
    """Show the account page: password, active sessions, recovery codes."""
    return _render()


def _password_form_problems(form, user):
    if operations.is_throttled(user):
        return form.current_password, [_("Too many failed attempts. Wait a few minutes.")]
    profile = current_app.config["PASSWORD_HASH_PROFILE"]
    if not passwords.verify_password(user.password_hash, form.current_password.data, profile):
        operations.record_failure(user, "password_change")
        return form.current_password, [_("This is not your current password.")]
    problems = accounts.password_problems(form.password.data, user.email)
    return (form.password, problems) if problems else (None, [])


@blueprint.post("/account/password")
@roles_required(*EVERYONE)
def change_password():
    """Change the password (needs the current one); every other session ends."""
    user = current_user._get_current_object()
    form = ChangePasswordForm()
    if form.validate():
        field, problems = _password_form_problems(form, user)
        if field is None:
            accounts.set_password(user, form.password.data, "auth.password_changed", user,
                                  keep_row_id=sessions.current_row_id())
            sessions.begin(user, mfa_completed=True)
            flash(_("Your password was changed. Your other sessions were signed out."), "success")
            return redirect(url_for("auth.show_account"))
        add_errors(field, problems)
    return _render(password_form=form), 400


@blueprint.post("/account/language")
@roles_required(*EVERYONE)
def change_language():
    """Choose the language of the user's pages and reports, or leave it to the browser."""
    user = current_user._get_current_object()
    form = LanguageForm()
    if not form.validate():
        return _render(language_form=form), 400
    chosen = form.language.data or None
    if chosen != user.language:
        with write_transaction():
            before = user.language
            user.language = chosen
            user.save(only=[type(user).language])
            audit.record("auth.language_changed", user, "Changed the language of the pages",
                         {"before": {"language": before}, "after": {"language": chosen}})
    flash(_("Your language is saved."), "success")
    return redirect(url_for("auth.show_account"))


@blueprint.post("/account/sessions/<int:session_id>/end")
@roles_required(*EVERYONE)
def end_session(session_id):
    """End one of the user's own sessions."""
    row = UserSession.get_or_none(
        (UserSession.id == session_id) & (UserSession.user == current_user.id))
    if row is None:
        abort(404)
    if row.id == sessions.current_row_id():
        return redirect(url_for("auth.show_account"))
    with write_transaction():
        UserSession.update(ended_at=utcnow()).where(UserSession.id == row.id).execute()
        audit.record("auth.session_ended", current_user._get_current_object(),
                     "Ended another session", {"session_id": row.id})
    flash(_("That session was signed out."), "success")
    return redirect(url_for("auth.show_account"))


@blueprint.post("/account/sessions/end-others")
@roles_required(*EVERYONE)
def end_other_sessions():
    """End every session of the user except this one."""
    user = current_user._get_current_object()
    with write_transaction():
        ended = sessions.end_all(user.id, keep_row_id=sessions.current_row_id())
        audit.record("auth.sessions_ended", user, "Ended all other sessions",
                     {"sessions_ended": ended})
    flash(ngettext("%(num)d other session was signed out.",
                   "%(num)d other sessions were signed out.", ended), "success")
    return redirect(url_for("auth.show_account"))


@blueprint.post("/account/recovery-codes")
@roles_required(*EVERYONE)
def regenerate_codes():
    """Replace the recovery codes after checking a fresh code from the app; other sessions end."""
    user = current_user._get_current_object()
    form = RegenerateCodesForm()
    if form.validate():
        if operations.is_throttled(user):
            add_errors(form.code, [_("Too many failed attempts. Wait a few minutes.")])
        else:
            result = totp.verify(user.id, operations.secret_for(user), form.code.data,
                                 session_id=sessions.current_row_id())
            if result == totp.ACCEPTED:
                return _new_codes(user)
            if result == totp.DUPLICATE:
                flash(_("That code has just created your new recovery codes. If you did not see "
                        "them, create another set with the next code."), "warning")
                return redirect(url_for("auth.show_account"))
            operations.record_failure(user, "totp")
            add_errors(form.code, [_("That code is not right, or it was used already.")])
    return _render(codes_form=form), 400


def _new_codes(user):
    with write_transaction():  # the new codes and their e-mail commit together
        codes = operations.regenerate_recovery_codes(user,
                                                     keep_row_id=sessions.current_row_id())
        notify.send_recovery_codes_regenerated(user, request.remote_addr)
    return render_template("auth/recovery_codes.html", codes=codes, user=user,
                           continue_url=url_for("auth.show_account"), first_time=False)
