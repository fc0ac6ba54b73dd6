"""Writes of single sign-on, each in one transaction with its audit event.

They mirror the password sign-in (registry/auth/operations.py): a new session id at every step,
`auth.factor_accepted` when the TOTP step still follows, `auth.login_succeeded` when the
provider's multi-factor sign-in completes it, `auth.login_failed` for a refused account, and
security events (registry/audit_trail/security_log.py) for attempts that name no account.
"""

from registry import audit
from registry.audit_trail import security_log
from registry.auth import sessions
from registry.db import write_transaction
from registry.models import User, utcnow

FACTOR = "oidc"
REFUSED = "security.sso_refused"


def _evidence(claims):
    """What the audit trail keeps of the token: who at the provider, and how they signed in."""
    return {"factor": FACTOR, "subject": str(claims.get("sub", ""))[:255],
            "amr": claims.get("amr") if isinstance(claims.get("amr"), list) else [],
            "acr": str(claims.get("acr", ""))[:255]}


def accept(user, claims, mfa_done):
    """Sign `user` in on the provider's word; complete when `mfa_done`, else TOTP follows."""
    with write_transaction():
        if mfa_done:
            User.update(failed_attempts=0, locked_until=None, last_login_at=utcnow()).where(
                User.id == user.id).execute()
            sessions.begin(user, mfa_completed=True, keep=("next",))
            audit.record("auth.login_succeeded", user, "Signed in with single sign-on",
                         {**_evidence(claims), "mfa_by_provider": True}, actor=user)
        else:
            sessions.begin(user, mfa_completed=False, keep=("next",))
            audit.record("auth.factor_accepted", user, "Single sign-on accepted; the "
                         "authenticator code follows", _evidence(claims), actor=user)


def create_account(email, full_name, role, claims):
    """Create a staff account from a token (REGISTRY_OIDC_AUTO_CREATE); return it."""
    with write_transaction():
        user = User.create(email=email, role=role, full_name=full_name[:200])
        audit.record("user.created", user, f"Account {email} created with role {role} at its "
                     "first single sign-on", {"role": role, **_evidence(claims)},
                     actor="oidc")
    return user


def record_refused_account(user, reason, claims):
    """Audit that a token named `user` but may not sign it in (subcontractor, inactive...)."""
    with write_transaction():
        audit.record("auth.login_failed", user, "Single sign-on refused",
                     {**_evidence(claims), "reason": reason}, actor="anonymous")


def record_refused_attempt(reason, detail="", email=None):
    """Security-log an attempt that signs no account in (forged state, bad token, no account)."""
    details = {"reason": reason, "detail": detail[:500]}
    if email:
        details["email"] = email[:254]
    security_log.record(REFUSED, "Single sign-on refused", details)
