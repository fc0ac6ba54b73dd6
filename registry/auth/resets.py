"""Requests for a password-reset link: recorded alike for every address, capped per hour.

Every request writes one row keyed by the SHA-256 of the typed address, whether or not an
account has it, so a known and an unknown address cost the same database work and get the same
answer. The rows also cap the reset e-mails an address receives (someone else can ask for them
in its name), and are removed after an hour.
"""

import hashlib
from datetime import timedelta

from registry.db import write_transaction
from registry.models import PasswordResetRequest, utcnow

MAILS_PER_HOUR = 3
WINDOW = timedelta(hours=1)


def address_hash(address):
    """Return the SHA-256 hex digest under which requests for `address` are counted."""
    return hashlib.sha256(address.encode()).hexdigest()


def record_request(address):
    """Record a reset request for `address`; return how many it had within the hour, this one
    included."""
    now = utcnow()
    key = address_hash(address)
    with write_transaction():
        PasswordResetRequest.delete().where(
            PasswordResetRequest.requested_at < now - WINDOW).execute()
        PasswordResetRequest.create(address_hash=key, requested_at=now)
        return PasswordResetRequest.select().where(
            (PasswordResetRequest.address_hash == key)
            & (PasswordResetRequest.requested_at >= now - WINDOW)
        ).count()
