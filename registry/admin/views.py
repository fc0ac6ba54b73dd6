"""User administration pages (administrators only)."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from peewee import JOIN

from registry.admin import blueprint
from registry.admin.forms import ChangeRoleForm, InviteForm, ResetMfaForm
from registry.auth import accounts, notify, operations, totp
from registry.auth.access import roles_required
from registry.auth.forms import ConfirmForm, add_errors
from registry.db import write_transaction
from registry.lookup import get_or_404
from registry.models import Subcontractor, User

PAGE_SIZE = 25


def _me():
    return current_user._get_current_object()


@blueprint.get("/users")
@roles_required("admin")
def list_users():
    """List every account with its role, state and last sign-in."""
    page = max(request.args.get("page", 1, type=int), 1)
    total = User.select().count()
    # The subcontractor of each row comes in the same query (no query per row).
    query = (User
             .select(User, Subcontractor)
             .join(Subcontractor, JOIN.LEFT_OUTER)
             .order_by(User.is_active.desc(), User.email))
    pages = max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    users = list(query.paginate(min(page, pages), PAGE_SIZE))
    return render_template("admin/users.html", users=users, page=min(page, pages),
                           pages=pages, total=total)


@blueprint.route("/users/invite", methods=["GET", "POST"])
@roles_required("admin")
def invite_user():
    """Create an account and e-mail its single-use invitation link."""
    form = InviteForm()
    if form.validate_on_submit():
        try:
            with write_transaction():  # the account and its invitation e-mail commit together
                user, token = accounts.create_user(
                    form.email.data, form.role.data, form.chosen_subcontractor(),
                    full_name=form.full_name.data or "", actor=_me())
                mailed = notify.send_invitation(user, token, invited_by=_me())
        except accounts.AccountError as error:
            add_errors(form.email, [str(error)])
        else:
            _report_invitation(user, mailed)
            return redirect(url_for("admin.show_user", user_id=user.id))
    return render_template("admin/invite.html", form=form), 400 if form.errors else 200


def _report_invitation(user, mailed):
    if mailed:
        flash(_("Invitation sent to %(email)s. The link is valid for 72 hours.",
                email=user.email), "success")
    else:
        flash(_("The account %(email)s exists, but the invitation e-mail could not be "
                 "sent. Check the mail settings and use “Send the invitation again”.",
                email=user.email), "error")


@blueprint.get("/users/<int:user_id>")
@roles_required("admin")
def show_user(user_id):
    """Show one account with its actions."""
    user = get_or_404(User, user_id)
    return _render_user(user)


def _render_user(user, role_form=None, mfa_form=None, status=200):
    role_form = role_form or ChangeRoleForm(formdata=None, role=user.role,
                                            subcontractor=str(user.subcontractor_id or ""))
    return render_template(
        "admin/user.html", user=user, role_form=role_form,
        mfa_form=mfa_form or ResetMfaForm(formdata=None), confirm_form=ConfirmForm(formdata=None),
        remaining_codes=operations.remaining_recovery_codes(user), is_me=user.id == _me().id,
        is_locked=accounts.is_locked(user),
    ), status


def _refuse(user, error, **forms):
    flash(str(error), "error")
    return _render_user(user, status=400, **forms)


def _refuse_deactivated(user):
    """Answer a write to a deactivated account (its page offers none) with the reason."""
    try:
        accounts.check_active(user)
    except accounts.AccountError as error:
        flash(str(error), "error")
        return redirect(url_for("admin.show_user", user_id=user.id))
    return None


@blueprint.post("/users/<int:user_id>/role")
@roles_required("admin")
def change_role(user_id):
    """Give the user another role."""
    user = get_or_404(User, user_id)
    refused = _refuse_deactivated(user)
    if refused:
        return refused
    form = ChangeRoleForm()
    if not form.validate():
        return _render_user(user, role_form=form, status=400)
    try:
        accounts.change_role(user, form.role.data, form.chosen_subcontractor(), _me())
    except accounts.AccountError as error:
        return _refuse(user, error, role_form=form)
    flash(_("%(email)s is now %(value)s.",
            email=user.email, value=form.role.data), "success")
    return redirect(url_for("admin.show_user", user_id=user.id))


@blueprint.post("/users/<int:user_id>/deactivate")
@roles_required("admin")
def deactivate_user(user_id):
    """Deactivate the account at once (its sessions end)."""
    user = get_or_404(User, user_id)
    if not user.is_active:
        return redirect(url_for("admin.show_user", user_id=user.id))
    try:
        accounts.deactivate(user, _me())
    except accounts.AccountError as error:
        return _refuse(user, error)
    flash(_("%(email)s was deactivated and signed out everywhere.",
            email=user.email), "success")
    return redirect(url_for("admin.show_user", user_id=user.id))


@blueprint.post("/users/<int:user_id>/reset-mfa")
@roles_required("admin")
def reset_mfa(user_id):
    """Remove the user's authenticator, after a fresh code from the admin's own app."""
    user = get_or_404(User, user_id)
    refused = _refuse_deactivated(user)
    if refused:
        return refused
    admin = _me()
    form = ResetMfaForm()
    if form.validate():
        if operations.is_throttled(admin):
            add_errors(form.code, ["Too many failed attempts. Wait a few minutes."])
        elif totp.verify(admin.id, operations.secret_for(admin), form.code.data) == totp.ACCEPTED:
            with write_transaction():  # the reset and its e-mail commit together
                accounts.reset_mfa(user, admin)
                notify.send_mfa_reset(user, f"the administrator {admin.email}")
            flash(_("The authenticator of %(email)s was reset; they set up a new one at "
                     "their next sign-in.",
                    email=user.email), "success")
            return redirect(url_for("admin.show_user", user_id=user.id))
        else:
            operations.record_failure(admin, "totp")
            add_errors(form.code, ["That code is not right, or it was used already."])
    return _render_user(user, mfa_form=form, status=400)


@blueprint.post("/users/<int:user_id>/unlock")
@roles_required("admin")
def unlock_user(user_id):
    """Clear the sign-in delay that repeated failures put on the account."""
    user = get_or_404(User, user_id)
    try:
        accounts.unlock(user, _me())
    except accounts.AccountError as error:
        return _refuse(user, error)
    flash(_("%(email)s can sign in again at once.",
            email=user.email), "success")
    return redirect(url_for("admin.show_user", user_id=user.id))


@blueprint.post("/users/<int:user_id>/invitation")
@roles_required("admin")
def resend_invitation(user_id):
    """Send a new invitation link (the previous one stops working)."""
    user = get_or_404(User, user_id)
    refused = _refuse_deactivated(user)
    if refused:
        return refused
    try:
        with write_transaction():  # the new link and its e-mail commit together
            token = accounts.reinvite(user, _me())
            mailed = notify.send_invitation(user, token, invited_by=_me())
    except accounts.AccountError as error:
        return _refuse(user, error)
    _report_invitation(user, mailed)
    return redirect(url_for("admin.show_user", user_id=user.id))
