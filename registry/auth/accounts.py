"""Account lifecycle shared by the admin pages, the CLI and the account page.

Invitation and reset links: a random token goes into the e-mail; only its SHA-256 is stored.
Every function writes in one transaction with its audit event; mail is sent by the caller after.
"""

import secrets
from datetime import timedelta

from flask import current_app

from registry import audit
from registry.auth import passwords, sessions
from registry.auth.operations import LINK_HOURS, THROTTLE_AFTER
from registry.db import write_transaction
from registry.models import Invitation, RecoveryCode, User, utcnow
from registry.settings.store import load_settings


class AccountError(Exception):
    """A change to an account that cannot be made (shown to the person who asked)."""


def _profile():
    return current_app.config["PASSWORD_HASH_PROFILE"]


def password_problems(password, email):
    """Return why `password` is refused for `email`, counting this registry's context words."""
    words = passwords.context_words(current_app.config["REGISTRY_NAME"],
                                    load_settings()["processor_name"])
    return passwords.policy_problems(password, email, words)


def new_link(user, purpose, created_by=None):
    """Create a single-use link token for `user`, revoking older unused ones of that purpose."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    Invitation.update(used_at=now).where(
        (Invitation.user == user) & (Invitation.purpose == purpose) & Invitation.used_at.is_null()
    ).execute()
    Invitation.create(
        token_hash=sessions.token_hash(token), user=user, purpose=purpose,
        created_by=created_by, created_at=now,
        expires_at=now + timedelta(hours=LINK_HOURS[purpose]),
    )
    return token


def find_link(token, purpose):
    """Return the unused, unexpired link for `token`, or None."""
    if not token or len(token) > 100:
        return None
    return Invitation.get_or_none(
        (Invitation.token_hash == sessions.token_hash(token))
        & (Invitation.purpose == purpose)
        & Invitation.used_at.is_null()
        & (Invitation.expires_at > utcnow())
    )


def create_user(email, role, subcontractor=None, full_name="", password=None, actor=None):
    """Create an account; without a password also an invitation. Return (user, token or None)."""
    if role == "subcontractor" and subcontractor is None:
        raise AccountError("A subcontractor user needs the subcontractor it belongs to.")
    if User.get_or_none(User.email == email) is not None:
        raise AccountError(f"An account for {email} exists already.")
    if password is not None:
        problems = password_problems(password, email)
        if problems:
            raise AccountError(" ".join(problems))
    with write_transaction():
        user = User.create(
            email=email, role=role, full_name=full_name,
            subcontractor=subcontractor if role == "subcontractor" else None,
            password_hash=passwords.hash_password(password, _profile()) if password else None,
            password_changed_at=utcnow() if password else None,
        )
        audit.record("user.created", user, f"Account {email} created with role {role}",
                     {"role": role, "subcontractor_id": user.subcontractor_id}, actor=actor)
        token = None
        if password is None:
            token = new_link(user, "invitation", created_by=_user_or_none(actor))
            audit.record("user.invited", user, f"Invitation for {email} created", actor=actor)
    return user, token


def _user_or_none(actor):
    return actor if isinstance(actor, User) else None


def check_active(user):
    """Raise AccountError for a deactivated account (nothing but the record is left of it)."""
    if not user.is_active:
        raise AccountError(f"The account {user.email} is deactivated.")


def reinvite(user, actor):
    """Replace the user's invitation link (the old one stops working); return the token."""
    check_active(user)
    if user.password_hash is not None:
        raise AccountError("This user has set a password already.")
    with write_transaction():
        token = new_link(user, "invitation", created_by=_user_or_none(actor))
        audit.record("user.invited", user, f"Invitation for {user.email} sent again", actor=actor)
    return token


def consume_link(link):
    """Mark a link used; False when another request used it first."""
    return Invitation.update(used_at=utcnow()).where(
        (Invitation.id == link.id) & Invitation.used_at.is_null()).execute() == 1


def set_password(user, password, action, actor, keep_row_id=None):
    """Store a new password, end the user's sessions (except `keep_row_id`), clear the lock.

    Whoever set it proved the account is theirs (the current password, or a link sent to the
    address), so failures counted against the old password no longer delay them.
    """
    with write_transaction():
        User.update(
            password_hash=passwords.hash_password(password, _profile()),
            password_changed_at=utcnow(),
            failed_attempts=0,
            locked_until=None,
        ).where(User.id == user.id).execute()
        ended = sessions.end_all(user.id, keep_row_id=keep_row_id)
        audit.record(action, user, "Password set", {"sessions_ended": ended}, actor=actor)


def is_locked(user):
    """Tell whether sign-in failures delay the account: paused now, or re-paused at the next."""
    return user.failed_attempts >= THROTTLE_AFTER or (
        user.locked_until is not None and user.locked_until > utcnow())


def unlock(user, actor):
    """Clear the user's failure count and delay (an administrator's decision, audited)."""
    check_active(user)
    if not is_locked(user):
        raise AccountError(f"The account {user.email} is not locked.")
    with write_transaction():
        User.update(failed_attempts=0, locked_until=None).where(User.id == user.id).execute()
        audit.record("user.unlocked", user, f"Sign-in delay of {user.email} cleared",
                     {"failed_attempts": user.failed_attempts,
                      "locked_until": user.locked_until.isoformat() if user.locked_until
                      else None}, actor=actor)


def reset_mfa(user, actor):
    """Remove the user's authenticator and recovery codes and end every session."""
    check_active(user)
    with write_transaction():
        User.update(totp_secret_encrypted=None, totp_enabled_at=None).where(
            User.id == user.id).execute()
        RecoveryCode.delete().where(RecoveryCode.user == user).execute()
        ended = sessions.end_all(user.id)
        audit.record("user.mfa_reset", user, f"Authenticator of {user.email} reset; enrols "
                     "again at the next sign-in", {"sessions_ended": ended}, actor=actor)


def _other_active_admins(user):
    return User.select().where(
        (User.role == "admin") & User.is_active & (User.id != user.id)).count()


def deactivate(user, actor):
    """Deactivate an account at once: it can no longer sign in and its sessions end."""
    if isinstance(actor, User) and actor.id == user.id:
        raise AccountError("You cannot deactivate your own account.")
    if user.role == "admin" and not _other_active_admins(user):
        raise AccountError("The last active administrator cannot be deactivated.")
    with write_transaction():
        User.update(is_active=False, deactivated_at=utcnow()).where(User.id == user.id).execute()
        ended = sessions.end_all(user.id)
        Invitation.update(used_at=utcnow()).where(
            (Invitation.user == user) & Invitation.used_at.is_null()).execute()
        audit.record("user.deactivated", user, f"Account {user.email} deactivated",
                     {"sessions_ended": ended}, actor=actor)


def change_role(user, role, subcontractor, actor):
    """Give the user another role (and, for subcontractor users, their organisation)."""
    check_active(user)
    if role == "subcontractor" and subcontractor is None:
        raise AccountError("Choose the subcontractor this user belongs to.")
    if isinstance(actor, User) and actor.id == user.id:
        raise AccountError("You cannot change your own role.")
    if user.role == "admin" and role != "admin" and not _other_active_admins(user):
        raise AccountError("The last active administrator must stay an administrator.")
    new_subcontractor = subcontractor if role == "subcontractor" else None
    with write_transaction():
        User.update(role=role, subcontractor=new_subcontractor).where(
            User.id == user.id).execute()
        audit.record("user.role_changed", user, f"Role of {user.email}: {user.role} → {role}",
                     {"from": user.role, "to": role,
                      "subcontractor_id": new_subcontractor.id if new_subcontractor else None},
                     actor=actor)
