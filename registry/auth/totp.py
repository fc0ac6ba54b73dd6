"""TOTP (RFC 6238) secrets, enrolment URIs and replay-safe verification; no Flask in here.

pyotp's own `verify()` accepts the same code twice and full-width digits, so codes are checked
here: six ASCII digits, the current or the previous 30-second step, and a step is claimed with
one atomic `UPDATE ... WHERE totp_last_step < step` so that only one request can ever use it.
The update also names the session that used the step: the same session sending the same code
again (a double click whose first request won) is a DUPLICATE, not a replay by someone else.
"""

import base64
import hmac
import re

import pyotp
import segno
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from registry.clock import unix_now
from registry.models import User

ISSUER = "dpa-registry"
STEP_SECONDS = 30
SECRET_CHARS = 32  # base32: 32 x 5 bits = 160 bits, RFC 4226's recommended length
CODE_PATTERN = re.compile(r"[0-9]{6}", re.ASCII)
ACCEPTED = "accepted"
REPLAYED = "replayed"
DUPLICATE = "duplicate"
INVALID = "invalid"


def _fernet(key_material):
    derived = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"dpa-registry totp seed v1"
    ).derive(key_material.encode())
    return Fernet(base64.urlsafe_b64encode(derived))


def new_secret():
    """Return a fresh random 160-bit secret in base32."""
    return pyotp.random_base32(SECRET_CHARS)


def encrypt_secret(secret, key_material):
    """Encrypt a base32 secret for storage with a key derived from TOTP_KEY."""
    return _fernet(key_material).encrypt(secret.encode()).decode()


def decrypt_secret(token, key_material):
    """Decrypt a stored secret; raise ValueError when the key does not fit."""
    try:
        return _fernet(key_material).decrypt(token.encode()).decode()
    except InvalidToken:
        raise ValueError("the TOTP secret cannot be decrypted with this TOTP_KEY") from None


def provisioning_uri(secret, email, issuer=ISSUER):
    """Return the otpauth:// URI an authenticator app reads from the QR code; the app lists
    the account under `issuer` (the registry passes its REGISTRY_NAME)."""
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=issuer)


def qr_svg(uri):
    """Return the QR code of `uri` as an inline SVG element (no XML declaration)."""
    return segno.make(uri, error="m").svg_inline(
        scale=5, border=4, omitsize=True, title="QR code for your authenticator app",
        svgclass="qr-code"
    )


def is_well_formed(code):
    """Tell whether `code` is exactly six ASCII digits."""
    return isinstance(code, str) and len(code) == 6 and CODE_PATTERN.fullmatch(code) is not None


def current_step(now=None):
    """Return the 30-second time step of `now` (a UNIX time; default: the clock)."""
    return int((unix_now() if now is None else now) // STEP_SECONDS)


def code_at_step(secret, step):
    """Return the six-digit code of `secret` for a time step."""
    return pyotp.TOTP(secret).at(step * STEP_SECONDS)


def matching_step(secret, code, now=None):
    """Return the step (current or previous) whose code equals `code`, else None."""
    if not is_well_formed(code):
        return None
    step = current_step(now)
    found = None
    for candidate in (step, step - 1):
        if hmac.compare_digest(code_at_step(secret, candidate), code):
            found = found or candidate
    return found


def claim_step(user_id, step, session_id=None):
    """Record `step` as used for the user (by `session_id`); True only for the one caller that
    moved it forward."""
    updated = (
        User.update(totp_last_step=step, totp_last_session_id=session_id)
        .where((User.id == user_id) & (User.totp_last_step < step))
        .execute()
    )
    return updated == 1


def claimed_by(user_id, step, session_id):
    """Tell whether the session `session_id` is the one that used `step` of the user."""
    return session_id is not None and User.select().where(
        (User.id == user_id)
        & (User.totp_last_step == step)
        & (User.totp_last_session_id == session_id)
    ).exists()


def verify(user_id, secret, code, session_id=None, now=None):
    """Check a code against a secret and claim its step for the session `session_id`.

    Return ACCEPTED, DUPLICATE (this session used it already), REPLAYED (another one did) or
    INVALID.
    """
    step = matching_step(secret, code, now)
    if step is None:
        return INVALID
    if claim_step(user_id, step, session_id):
        return ACCEPTED
    return DUPLICATE if claimed_by(user_id, step, session_id) else REPLAYED
