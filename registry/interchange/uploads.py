"""An uploaded import file kept between its dry run and the user's confirmation.

The checked bytes are stored in the database (`PendingImport`), bound to the server-side
session that checked them, so a confirmation imports exactly the file that was checked, only
for the session that checked it, and on whichever web host receives it: nothing waits on one
host's disk. A session keeps at most one; a check that is never confirmed is deleted once an
hour has passed (by the next check or confirmation anywhere, and by the worker's hourly purge
or `dpa-registry sessions purge`), and with its session.

The age is measured with the app clock (`checked_at`), the only clock the registry reads.
"""

from dataclasses import dataclass
from datetime import timedelta

from registry.auth.sessions import current_row_id
from registry.db import write_transaction
from registry.models import PendingImport, utcnow

MAX_AGE = timedelta(hours=1)


@dataclass(frozen=True)
class CheckedFile:
    """A checked upload waiting for confirmation."""

    filename: str
    content: bytes


def _expiry_cutoff():
    return utcnow() - MAX_AGE


def purge_expired():
    """Delete every pending import checked more than an hour ago; return how many."""
    return (PendingImport.delete()
            .where(PendingImport.checked_at < _expiry_cutoff())
            .execute())


def keep(filename, content):
    """Store an upload for the current session, replacing the one it checked before."""
    session_id = current_row_id()
    if session_id is None:
        return
    with write_transaction():
        purge_expired()
        PendingImport.delete().where(PendingImport.session == session_id).execute()
        PendingImport.create(session=session_id, filename=filename[:200], content=content)


def take():
    """Remove and return the CheckedFile the current session checked within the hour, else None.

    The row is claimed by deleting it, so two confirmations sent at once (a double click, two
    hosts) import the file once: the second finds nothing.
    """
    session_id = current_row_id()
    if session_id is None:
        return None
    purge_expired()
    row = PendingImport.get_or_none(PendingImport.session == session_id)
    if row is None:
        return None
    claimed = PendingImport.delete().where(PendingImport.id == row.id).execute()
    return CheckedFile(row.filename, bytes(row.content)) if claimed else None


def discard():
    """Delete the current session's pending import, if any."""
    session_id = current_row_id()
    if session_id is not None:
        PendingImport.delete().where(PendingImport.session == session_id).execute()
