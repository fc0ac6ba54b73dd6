"""Capability tokens: 256 random bits, looked up by their SHA-256 and kept encrypted for mail.

A link's token is stored twice: as its SHA-256, the only form a visitor's token is compared
with (an index lookup, no timing to learn from), and encrypted with a key derived from
TOTP_KEY (HKDF, its own label), so that every notice e-mail and `controllers share-link` can
print the current link again. Without the encrypted copy each mail would have to issue a new
link and end the one the controller already bookmarked.
"""

import base64
import hashlib
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


def _fernet():
    derived = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"dpa-registry controller link v1"
    ).derive(current_app.config["TOTP_KEY"].encode())
    return Fernet(base64.urlsafe_b64encode(derived))


def encrypt(token):
    """Return `token` encrypted for storage."""
    return _fernet().encrypt(token.encode()).decode()


def decrypt(stored):
    """Return the token of an encrypted copy; raise UnreadableToken under another key."""
    try:
        return _fernet().decrypt(stored.encode()).decode()
    except InvalidToken:
        raise UnreadableToken("the link cannot be decrypted with this TOTP_KEY") from None
