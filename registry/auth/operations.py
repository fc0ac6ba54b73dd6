"""Writes of the sign-in area, each in one transaction with its audit event.

Mail is never sent from here: callers send after the transaction committed (see notify.py).
"""

import secrets
from datetime import timedelta

from flask import current_app, has_request_context, request, session

from registry import audit
from registry.auth import passwords, sessions, totp
from registry.db import write_transaction
from registry.models import AuditEvent, RecoveryCode, User, utcnow

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


def _client_address():
    return (request.remote_addr or "") if has_request_context() else ""


def has_been_failing(user, address):
    """Tell whether `address` failed a sign-in step of `user` within the longest delay.

    Failures are audit events (auth.login_failed, with the address), so every worker sees them.
    """
    if not address:
        return True
    since = utcnow() - timedelta(seconds=THROTTLE_MAX_SECONDS)
    return AuditEvent.select().where(
        (AuditEvent.object_type == "user")
        & (AuditEvent.object_id == str(user.id))
        & (AuditEvent.action == "auth.login_failed")
        & (AuditEvent.ip == address[:64])
        & (AuditEvent.occurred_at >= since)
    ).exists()


def is_throttled(user):
    """Tell whether this request is refused because the account is inside its delay.

    The delay holds only for addresses that took part in the failures: whoever keeps an account
    paused from their own address cannot keep its owner out, who signs in from another one
    with the right password and code (ASVS 6.1.1).
    """
    if user.locked_until is None or user.locked_until <= utcnow():
        return False
    return has_been_failing(user, _client_address())


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


ENROLMENT_KEY = "enrolment_key"


def pending_secret():
    """Return the secret this session offers for enrolment, made on its first call.

    It is kept (encrypted) in the session that showed it, never on the user row: each sign-in
    gets a new one, and a key seen by another session cannot be the one enrolled.
    """
    key = current_app.config["TOTP_KEY"]
    if ENROLMENT_KEY not in session:
        session[ENROLMENT_KEY] = totp.encrypt_secret(totp.new_secret(), key)
    return totp.decrypt_secret(session[ENROLMENT_KEY], key)


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


def finish_enrolment(user, secret):
    """Activate TOTP with this session's `secret`; return the ten new recovery codes.

    None when the account was enrolled meanwhile (by another session): the first one stands.
    """
    encrypted = totp.encrypt_secret(secret, current_app.config["TOTP_KEY"])
    with write_transaction():
        activated = User.update(totp_secret_encrypted=encrypted, totp_enabled_at=utcnow()).where(
            (User.id == user.id) & User.totp_enabled_at.is_null()).execute()
        if not activated:
            return None
        codes = _new_recovery_codes(user)
        audit.record("auth.mfa_enrolled", user, "Authenticator app enrolled", actor=user)
    session.pop(ENROLMENT_KEY, None)
    return codes


def regenerate_recovery_codes(user, keep_row_id=None):
    """Replace the user's recovery codes, end their sessions but `keep_row_id`; return the codes.

    Whoever holds the old codes, or another signed-in session, may be the reason for the new set.
    """
    with write_transaction():
        codes = _new_recovery_codes(user)
        ended = sessions.end_all(user.id, keep_row_id=keep_row_id)
        audit.record("auth.recovery_codes_regenerated", user, "New recovery codes created",
                     {"sessions_ended": ended}, actor=user)
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
