"""Deleting what requests leave behind once it can no longer be used: ended or timed-out
sessions, the import files checked in them but never confirmed, and the PDFs kept for a form's
next try (registry.pending_uploads) for more than a day.

The worker runs `purge()` every hour; `dpa-registry sessions purge` runs it by hand or from a
timer where no worker runs.
"""

from dataclasses import dataclass

import click
from flask import current_app

from registry.auth import sessions
from registry.extensions import database
from registry.interchange import uploads
from registry.pending_uploads import store as pending_uploads


@dataclass(frozen=True)
class Purged:
    """How many rows one purge deleted."""

    sessions: int
    pending_imports: int
    pending_uploads: int

    def summary(self):
        """Return one line for a log or a terminal."""
        return (f"purged {self.sessions} ended or expired sessions, "
                f"{self.pending_imports} expired pending imports and "
                f"{self.pending_uploads} expired pending uploads")


def purge():
    """Delete ended or expired sessions (with their pending imports), expired imports and
    expired pending uploads."""
    with database.atomic():
        purged_sessions = sessions.purge_expired(current_app)
        purged_imports = uploads.purge_expired()
        purged_uploads = pending_uploads.purge_expired()
    return Purged(purged_sessions, purged_imports, purged_uploads)


@click.group("sessions")
def sessions_group():
    """Sign-in sessions."""


@sessions_group.command("purge")
def purge_command():
    """Delete ended or expired sessions, expired pending imports and pending uploads."""
    with database.connection_context():
        click.echo(purge().summary())


commands = [sessions_group]
