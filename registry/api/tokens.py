"""Personal API tokens: issued once, stored hashed, checked on every API request, revocable.

A token reads `dpa_<prefix>_<secret>`: the prefix (public, shown in lists) finds the row, and
the SHA-256 of the whole token must equal the stored one. The secret has 256 bits of entropy,
so a plain hash is enough (no password stretching is needed against guessing).

What a token may do is the smaller of its scope and its owner's role *now*: a write token of
someone who became an auditor only reads, and a deactivated user's or an offboarded company's
tokens stop working at once.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask_babel import gettext as _

from registry import audit
from registry.api.models import TOKEN_SCOPES, ApiToken
from registry.auth.access import STAFF
from registry.auth.sessions import may_sign_in
from registry.db import write_transaction
from registry.models import User, utcnow

DEFAULT_DAYS = 90
MAX_DAYS = 365
WRITE_ROLES = STAFF
TOUCH_EVERY = timedelta(seconds=60)
TOKEN_START = "dpa_"  # noqa: S105 - the visible start of every token, not a secret


class TokenError(ValueError):
    """A token that cannot be issued as asked (the message says why)."""


@dataclass(frozen=True)
class Issued:
    """A newly issued token: the row and the secret, which is shown this once only."""

    row: ApiToken
    secret: str


def secret_hash(token):
    """Return the SHA-256 hex digest a token is stored under."""
    return hashlib.sha256(token.encode()).hexdigest()


def check_request(user, name, scope, days):
    """Return the trimmed name, or raise TokenError saying what is wrong with the request."""
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise TokenError(_("Give the token a name of 1 to 100 characters."))
    if scope not in TOKEN_SCOPES:
        raise TokenError(_("The scope is read or write."))
    if scope == "write" and user.role not in WRITE_ROLES:
        raise TokenError(_("A %(role)s account may only have read tokens.", role=user.role))
    if not 1 <= days <= MAX_DAYS:
        raise TokenError(_("A token expires after 1 to %(days)s days.", days=MAX_DAYS))
    if not may_sign_in(user):
        raise TokenError(_("This account is deactivated; it cannot have tokens."))
    return name


def issue(user, name, scope="read", days=DEFAULT_DAYS, actor=None):
    """Create a token for `user` and audit it; return Issued (the secret is not stored)."""
    name = check_request(user, name, scope, days)
    prefix = secrets.token_hex(6)
    token = f"{TOKEN_START}{prefix}_{secrets.token_urlsafe(32)}"
    now = utcnow()
    with write_transaction():
        row = ApiToken.create(user=user, name=name, scope=scope, prefix=prefix,
                              secret_hash=secret_hash(token), created_at=now,
                              expires_at=now + timedelta(days=days))
        audit.record("api_token.created", row, f"API token {name!r} ({scope}) created for "
                     f"{user.email}", {"name": name, "scope": scope, "prefix": prefix,
                                       "expires_at": row.expires_at.isoformat()},
                     actor=actor or user)
    return Issued(row=row, secret=token)


def revoke(row, actor):
    """Revoke a token (at once, for good) and audit it; return False if it already was."""
    with write_transaction():
        updated = (ApiToken.update(revoked_at=utcnow())
                   .where((ApiToken.id == row.id) & ApiToken.revoked_at.is_null())
                   .execute())
        if updated:
            audit.record("api_token.revoked", row, f"API token {row.name!r} of "
                         f"{row.user.email} revoked", {"prefix": row.prefix}, actor=actor)
    return bool(updated)


def tokens_of(user):
    """Return the user's tokens, newest first (revoked and expired ones included)."""
    return list(ApiToken.select().where(ApiToken.user == user)
                .order_by(ApiToken.created_at.desc(), ApiToken.id.desc()))


def is_usable(row, now=None):
    """Tell whether a token is neither revoked nor expired."""
    return row.revoked_at is None and row.expires_at > (now or utcnow())


def _parse(token):
    if not token.startswith(TOKEN_START):
        return None
    prefix, _, rest = token[len(TOKEN_START):].partition("_")
    return prefix if prefix and rest and len(prefix) <= 16 else None


def authenticate(token, address):
    """Return (row, user) of a usable token whose owner may still sign in, else None.

    Records the last use (time and address) at most once a minute per address.
    """
    prefix = _parse(token or "")
    row = ApiToken.get_or_none(ApiToken.prefix == prefix) if prefix else None
    if row is None or not hmac.compare_digest(row.secret_hash, secret_hash(token)):
        return None
    now = utcnow()
    user = User.get_or_none(User.id == row.user_id)
    if not is_usable(row, now) or user is None or not may_sign_in(user):
        return None
    stale = row.last_used_at is None or now - row.last_used_at > TOUCH_EVERY
    if stale or row.last_used_ip != address:
        ApiToken.update(last_used_at=now, last_used_ip=address[:64]).where(
            ApiToken.id == row.id).execute()
    return row, user


def may_write(row, user):
    """Tell whether a token may change data: write scope, and an owner whose role may."""
    return row.scope == "write" and user.role in WRITE_ROLES
