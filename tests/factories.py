"""Users for tests: `make_user(...)` returns an active account with a password and TOTP enrolled.

Other areas put their own row factories in tests/<area>/factories.py.
"""

import itertools
from datetime import datetime

from flask import current_app

from registry.auth import passwords, totp
from registry.clock import unix_now
from registry.models import Subcontractor, User, utcnow

PASSWORD = "quiet-harbour-lantern-orbit-7"
_sequence = itertools.count(1)


def make_subcontractor(**overrides):
    """Create a subcontractor row with sensible defaults (for subcontractor users)."""
    number = next(_sequence)
    values = {"key": f"subcontractor-{number}", "name": f"Subcontractor {number} Oy",
              "status": "active"}
    values.update(overrides)
    return Subcontractor.create(**values)


def make_user(role="legal", subcontractor=None, email=None, password=PASSWORD, *,
              enrolled=True, **overrides):
    """Create an active user with `password` and (unless enrolled=False) TOTP set up."""
    number = next(_sequence)
    if role == "subcontractor" and subcontractor is None:
        subcontractor = make_subcontractor()
    config = current_app.config
    values = {
        "email": email or f"{role}{number}@example.test",
        "full_name": f"{role.title()} User {number}",
        "role": role,
        "subcontractor": subcontractor if role == "subcontractor" else None,
        "password_hash": passwords.hash_password(password, config["PASSWORD_HASH_PROFILE"])
        if password else None,
        "password_changed_at": utcnow() if password else None,
    }
    if enrolled:
        values["totp_secret_encrypted"] = totp.encrypt_secret(totp.new_secret(),
                                                              config["TOTP_KEY"])
        values["totp_enabled_at"] = utcnow()
    values.update(overrides)
    return User.create(**values)


def totp_secret(user):
    """Return the user's TOTP secret in clear (what the authenticator app holds)."""
    stored = User.get_by_id(user.id).totp_secret_encrypted
    return totp.decrypt_secret(stored, current_app.config["TOTP_KEY"])


def _unix(at):
    if at is None:
        return unix_now()
    if isinstance(at, datetime):
        return at.timestamp()
    return float(at)


def totp_code_for(user, at=None):
    """Return the code the user's app shows at `at` (datetime or UNIX time; default now)."""
    return totp.code_at_step(totp_secret(user), totp.current_step(_unix(at)))
