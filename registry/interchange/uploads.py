"""An uploaded import file kept on the server between its dry run and the user's confirmation.

The file is stored under the instance folder with a random name; only that token travels, in
the user's server-side session together with the user's id, so a confirmation imports exactly
the file that was checked and only for the person who checked it. Files left behind (a dry run
never confirmed) are removed after an hour.
"""

import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from flask import current_app, session

SESSION_KEY = "pending_import"
SUFFIXES = (".json", ".xlsx")
MAX_AGE_SECONDS = 3600


@dataclass(frozen=True)
class PendingImport:
    """A checked upload waiting for confirmation."""

    path: Path
    filename: str

    def content(self):
        """Return the file's bytes."""
        return self.path.read_bytes()


def _folder():
    folder = Path(current_app.instance_path) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _purge_stale(folder):
    cutoff = time.time() - MAX_AGE_SECONDS
    for path in folder.iterdir():
        if path.is_file() and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)


def keep(filename, content, user):
    """Store an upload for `user` and remember it in the session; return the PendingImport."""
    discard()
    folder = _folder()
    _purge_stale(folder)
    suffix = Path(filename).suffix.lower()
    token = secrets.token_urlsafe(24)
    path = folder / f"{token}{suffix if suffix in SUFFIXES else ''}"
    path.write_bytes(content)
    session[SESSION_KEY] = {"token": path.name, "filename": filename[:200], "user_id": user.id}
    return PendingImport(path, filename[:200])


def pending(user):
    """Return the upload `user` checked in this session, or None if there is none (or expired)."""
    kept = session.get(SESSION_KEY)
    if not kept or kept.get("user_id") != user.id:
        return None
    path = _folder() / kept["token"]
    if not path.is_file() or path.stat().st_mtime < time.time() - MAX_AGE_SECONDS:
        return None
    return PendingImport(path, kept["filename"])


def discard():
    """Forget the session's pending upload and delete its file."""
    kept = session.pop(SESSION_KEY, None)
    if kept:
        (_folder() / Path(kept["token"]).name).unlink(missing_ok=True)
