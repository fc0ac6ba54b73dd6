"""Deleting what requests leave behind once it can no longer be used: ended or timed-out
sessions and the import files checked in them but never confirmed.

The worker runs `purge()` every hour; `dpa-registry sessions purge` runs it by hand or from a
timer where no worker runs.
"""

from dataclasses import dataclass

import click
from flask import current_app

from registry.auth import sessions
from registry.extensions import database
from registry.interchange import uploads


@dataclass(frozen=True)
class Purged:
    """How many rows one purge deleted."""

    sessions: int
    pending_imports: int

    def summary(self):
        """Return one line for a log or a terminal."""
        return (f"purged {self.sessions} ended or expired sessions and "
                f"{self.pending_imports} expired pending imports")


def purge():
    """Delete ended or expired sessions (with their pending imports), then expired imports."""
    with database.atomic():
        purged_sessions = sessions.purge_expired(current_app)
        purged_imports = uploads.purge_expired()
    return Purged(purged_sessions, purged_imports)


@click.group("sessions")
def sessions_group():
    """Sign-in sessions."""


@sessions_group.command("purge")
def purge_command():
    """Delete ended or expired sessions and expired pending imports."""
    with database.connection_context():
        click.echo(purge().summary())


commands = [sessions_group]
