"""Capability tokens: 256 random bits, looked up by their SHA-256 and kept encrypted for mail.

A link's token is stored twice: as its SHA-256, the only form a visitor's token is compared
with (an index lookup, no timing to learn from), and encrypted with a key derived from
TOTP_KEY (HKDF, its own label), so that every notice e-mail and `controllers share-link` can
print the current link again. Without the encrypted copy each mail would have to issue a new
link and end the one the controller already bookmarked.

One-click unsubscribe links need neither: `signed_id` is an HMAC of the row's id, which every
e-mail can repeat and nothing has to store.
"""

import base64
import hashlib
import hmac
import secrets

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app

TOKEN_BYTES = 32
MAX_TOKEN_LENGTH = 100


class UnreadableToken(ValueError):
    """A stored token that the current TOTP_KEY cannot decrypt (the key was rotated)."""


def new_token():
    """Return a fresh URL-safe token of 256 random bits."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token):
    """Return the SHA-256 hex digest a token is stored and looked up under."""
    return hashlib.sha256(token.encode()).hexdigest()


def plausible(token):
    """Tell whether `token` could be one of ours (cheap refusal of junk before any query)."""
    return bool(token) and len(token) <= MAX_TOKEN_LENGTH


def _derived_key(label):
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=label).derive(
        current_app.config["TOTP_KEY"].encode())


def _fernet():
    return Fernet(base64.urlsafe_b64encode(_derived_key(b"dpa-registry controller link v1")))


def encrypt(token):
    """Return `token` encrypted for storage."""
    return _fernet().encrypt(token.encode()).decode()


def decrypt(stored):
    """Return the token of an encrypted copy; raise UnreadableToken under another key."""
    try:
        return _fernet().decrypt(stored.encode()).decode()
    except InvalidToken:
        raise UnreadableToken("the link cannot be decrypted with this TOTP_KEY") from None


def _mac(purpose, number):
    digest = hmac.new(_derived_key(b"dpa-registry signed id v1"), f"{purpose}:{number}".encode(),
                      hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def signed_id(purpose, number):
    """Return a token naming row `number` for `purpose` that only this registry can make.

    For links every e-mail repeats (one-click unsubscribe): nothing to store, and each copy
    keeps working.
    """
    return f"{number}-{_mac(purpose, number)}"


def read_signed_id(purpose, token):
    """Return the row id a `signed_id` token names, or None for anything else."""
    number, _, mac = (token or "").partition("-")
    if not plausible(token) or not number.isdigit():
        return None
    return int(number) if hmac.compare_digest(mac, _mac(purpose, int(number))) else None
