"""Keeping a checked PDF for the next try of a form, and finding it again for its owner only.

A token names the kept file in the form's hidden field; it is looked up together with the
signed-in user, so another user's token finds nothing. The age is measured with the app clock
(`kept_at`), the only clock the registry reads.
"""

import secrets
from datetime import timedelta

from registry.db import write_transaction
from registry.documents import CheckedUpload
from registry.models import utcnow
from registry.pending_uploads.models import PendingUpload

MAX_AGE = timedelta(hours=24)
TOKEN_BYTES = 24


def _expiry_cutoff():
    return utcnow() - MAX_AGE


def purge_expired():
    """Delete every upload kept more than a day ago; return how many."""
    return PendingUpload.delete().where(PendingUpload.kept_at < _expiry_cutoff()).execute()


def keep(checked, owner):
    """Store the checked upload for `owner`; return the token that names it."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    with write_transaction():
        PendingUpload.create(token=token, owner=owner, filename=checked.filename,
                             content=checked.content, size=len(checked.content),
                             page_count=checked.page_count, sha256=checked.sha256)
    return token


def find(token, owner):
    """Return the CheckedUpload `owner` kept under `token` within the day, else None."""
    if not token or owner is None:
        return None
    row = PendingUpload.get_or_none((PendingUpload.token == token)
                                    & (PendingUpload.owner == owner)
                                    & (PendingUpload.kept_at >= _expiry_cutoff()))
    if row is None:
        return None
    return CheckedUpload(content=bytes(row.content), filename=row.filename,
                         page_count=row.page_count, sha256=row.sha256)


def discard(token, owner):
    """Delete what `owner` kept under `token` (the form succeeded, or the file was replaced)."""
    if token and owner is not None:
        PendingUpload.delete().where((PendingUpload.token == token)
                                     & (PendingUpload.owner == owner)).execute()
