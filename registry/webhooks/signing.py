"""Endpoint secrets and signatures.

A delivery carries `X-Registry-Signature: t=<unix time>,v1=<hex>`, where the hex is the
HMAC-SHA256 of `<unix time>.<body>` under the endpoint's secret. The receiver recomputes it
over the raw body and refuses a timestamp too far from its own clock (docs/webhooks.md).
While a rotated secret is still accepted (its overlap), the header holds one `v1` per secret,
the new one first: a receiver accepts the delivery when any of them verifies.
Secrets wait in the database sealed (Fernet, key derived from REGISTRY_SECRET_KEY), as queued
mail does: a copy of the database does not let anyone forge deliveries.
"""

import base64
import hashlib
import hmac
import secrets

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app

SEAL_INFO = b"dpa-registry webhook secrets v1"
SECRET_PREFIX = "whsec_"  # noqa: S105 - a label in front of the generated secret
SIGNATURE_HEADER = "X-Registry-Signature"


class SecretUnreadable(Exception):
    """The sealed secret does not open with this REGISTRY_SECRET_KEY (it was changed)."""


def new_secret():
    """Return a fresh endpoint secret (shown once to the admin, then only kept sealed)."""
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def _fernet():
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                   info=SEAL_INFO).derive(current_app.config["SECRET_KEY"].encode())
    return Fernet(base64.urlsafe_b64encode(derived))


def seal(secret):
    """Encrypt `secret` for storage."""
    return _fernet().encrypt(secret.encode())


def unseal(sealed):
    """Return the secret `seal` stored; SecretUnreadable when the key has changed."""
    try:
        return _fernet().decrypt(bytes(sealed)).decode()
    except InvalidToken:
        raise SecretUnreadable("the endpoint's secret cannot be decrypted with this "
                               "REGISTRY_SECRET_KEY: rotate the secret") from None


def signature(secret, timestamp, body):
    """Return the hex HMAC-SHA256 of `<timestamp>.<body>` under `secret` (body: bytes)."""
    message = str(int(timestamp)).encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature_header(secrets, timestamp, body):
    """Return the X-Registry-Signature value for `body` sent at `timestamp`, signed under each
    of `secrets` (the current one first, then one still in its overlap)."""
    signed = ",".join(f"v1={signature(secret, timestamp, body)}" for secret in secrets)
    return f"t={int(timestamp)},{signed}"


def verify(secret, header, body, now, tolerance=300):
    """Tell whether `header` signs `body` under `secret` within `tolerance` seconds of `now`.

    What a receiver does (docs/webhooks.md shows the same in a few lines of its own).
    """
    parts = [part.split("=", 1) for part in header.split(",") if "=" in part]
    try:
        timestamp = int(next(value for key, value in parts if key == "t"))
    except (StopIteration, ValueError):
        return False
    if abs(now - timestamp) > tolerance:
        return False
    expected = signature(secret, timestamp, body)
    return any(hmac.compare_digest(value, expected) for key, value in parts if key == "v1")
