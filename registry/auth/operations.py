"""Writes of the sign-in area, each in one transaction with its audit event.

Mail is never sent from here: callers send after the transaction committed (see notify.py).
"""

import secrets
from datetime import timedelta

from flask import current_app

from registry import audit
from registry.auth import passwords, sessions, totp
from registry.db import write_transaction
from registry.models import RecoveryCode, User, utcnow

THROTTLE_AFTER = 5
THROTTLE_BASE_SECONDS = 30
THROTTLE_MAX_SECONDS = 3600
RECOVERY_CODE_COUNT = 10
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i look-alikes
LINK_HOURS = {"invitation": 72, "password_reset": 1}


def _profile():
    return current_app.config["PASSWORD_HASH_PROFILE"]


def throttle_delay(failures):
    """Return how long an account is refused after `failures` consecutive failures."""
    if failures < THROTTLE_AFTER:
        return timedelta(0)
    seconds = THROTTLE_BASE_SECONDS * 2 ** min(failures - THROTTLE_AFTER, 20)
    return timedelta(seconds=min(seconds, THROTTLE_MAX_SECONDS))


def is_throttled(user):
    """Tell whether the account is inside its delay after repeated failures."""
    return user.locked_until is not None and user.locked_until > utcnow()


def record_failure(user, factor, reason="wrong"):
    """Count a failed factor; start (or lengthen) the delay from the fifth failure on."""
    with write_transaction():
        User.update(failed_attempts=User.failed_attempts + 1).where(User.id == user.id).execute()
        failures = User.select(User.failed_attempts).where(User.id == user.id).scalar()
        audit.record("auth.login_failed", user, f"Sign-in failed at the {factor} step",
                     {"factor": factor, "reason": reason, "consecutive_failures": failures},
                     actor="anonymous")
        delay = throttle_delay(failures)
        if delay:
            until = utcnow() + delay
            User.update(locked_until=until).where(User.id == user.id).execute()
            audit.record("auth.throttled", user, f"Sign-in refused for {delay} after "
                         f"{failures} consecutive failures", {"seconds": delay.seconds},
                         actor="anonymous")


def record_refusal(user, factor):
    """Audit an attempt refused because the account is inside its delay."""
    with write_transaction():
        audit.record("auth.login_failed", user, f"Sign-in refused at the {factor} step "
                     "during the delay", {"factor": factor, "reason": "throttled"},
                     actor="anonymous")


def accept_password(user, password):
    """Start the second step for `user`: new session id, rehash when the profile changed."""
    with write_transaction():
        if passwords.hasher(_profile()).check_needs_rehash(user.password_hash):
            User.update(password_hash=passwords.hash_password(password, _profile())).where(
                User.id == user.id).execute()
        sessions.begin(user, mfa_completed=False, keep=("next",))
        audit.record("auth.factor_accepted", user, "Password accepted",
                     {"factor": "password"}, actor=user)


def complete_sign_in(user, factor):
    """Finish signing in: clear the failure count, new session id, audit."""
    with write_transaction():
        User.update(failed_attempts=0, locked_until=None, last_login_at=utcnow()).where(
            User.id == user.id).execute()
        sessions.begin(user, mfa_completed=True, keep=("next",))
        audit.record("auth.login_succeeded", user, "Signed in", {"factor": factor}, actor=user)


def record_replay(user):
    """Audit a TOTP code that was already used and count it as a failure."""
    with write_transaction():
        audit.record("auth.totp_replayed", user, "A TOTP code was used a second time",
                     actor="anonymous")
    record_failure(user, "totp", reason="replayed")


def secret_for(user):
    """Return the user's TOTP secret in clear, for checking a code."""
    return totp.decrypt_secret(user.totp_secret_encrypted, current_app.config["TOTP_KEY"])


def pending_secret(user):
    """Return the secret to enrol, creating and storing it (encrypted) on first call."""
    if user.totp_secret_encrypted is None:
        encrypted = totp.encrypt_secret(totp.new_secret(), current_app.config["TOTP_KEY"])
        User.update(totp_secret_encrypted=encrypted).where(
            (User.id == user.id) & User.totp_secret_encrypted.is_null()).execute()
        user = User.get_by_id(user.id)
    return secret_for(user)


def _new_recovery_codes(user):
    RecoveryCode.delete().where(RecoveryCode.user == user).execute()
    codes = [
        "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(10))
        for _ in range(RECOVERY_CODE_COUNT)
    ]
    RecoveryCode.insert_many([
        {"user": user.id, "code_hash": passwords.hash_password(code, _profile()),
         "created_at": utcnow()}
        for code in codes
    ]).execute()
    return [f"{code[:5]}-{code[5:]}" for code in codes]


def finish_enrolment(user):
    """Activate TOTP and return the ten new recovery codes (shown once)."""
    with write_transaction():
        User.update(totp_enabled_at=utcnow()).where(User.id == user.id).execute()
        codes = _new_recovery_codes(user)
        audit.record("auth.mfa_enrolled", user, "Authenticator app enrolled", actor=user)
    return codes


def regenerate_recovery_codes(user):
    """Replace the user's recovery codes; return the new ones (shown once)."""
    with write_transaction():
        codes = _new_recovery_codes(user)
        audit.record("auth.recovery_codes_regenerated", user, "New recovery codes created",
                     actor=user)
    return codes


def normalise_recovery_code(code):
    """Return a recovery code without spaces and dashes, lower-cased."""
    return "".join(ch for ch in (code or "").lower() if ch not in " -\t")


def use_recovery_code(user, code):
    """Consume one unused recovery code that matches; True when one did."""
    candidate = normalise_recovery_code(code)
    if len(candidate) != 10:
        return False
    unused = list(RecoveryCode.select().where(
        (RecoveryCode.user == user) & RecoveryCode.used_at.is_null()))
    for row in unused:
        if passwords.verify_password(row.code_hash, candidate, _profile()):
            with write_transaction():
                claimed = RecoveryCode.update(used_at=utcnow()).where(
                    (RecoveryCode.id == row.id) & RecoveryCode.used_at.is_null()).execute()
                if claimed:
                    audit.record("auth.recovery_code_used", user, "A recovery code was used",
                                 {"remaining": len(unused) - 1}, actor="anonymous")
            return bool(claimed)
    return False


def remaining_recovery_codes(user):
    """Return how many unused recovery codes the user has."""
    return RecoveryCode.select().where(
        (RecoveryCode.user == user) & RecoveryCode.used_at.is_null()).count()
