"""An uploaded import file kept on the server between its dry run and the user's confirmation.

The file is stored under the instance folder with a random name; only that token travels, in
the user's server-side session together with the user's id, so a confirmation imports exactly
the file that was checked and only for the person who checked it. Files left behind (a dry run
never confirmed) are removed after an hour.

A file's age is read from its name, which starts with the app clock's UNIX time when it was
stored, not from the file system's timestamps: the registry's clock is the only clock it reads.
"""

import secrets
from dataclasses import dataclass
from pathlib import Path

from flask import current_app, session

from registry.clock import unix_now

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


def _stored_at(name):
    """Return the UNIX time a kept file's name records, or None for a name that records none."""
    stamp = name.partition("-")[0]
    return int(stamp) if stamp.isdigit() else None


def _is_stale(name):
    stored_at = _stored_at(name)
    return stored_at is None or stored_at < unix_now() - MAX_AGE_SECONDS


def _purge_stale(folder):
    for path in folder.iterdir():
        if path.is_file() and _is_stale(path.name):
            path.unlink(missing_ok=True)


def keep(filename, content, user):
    """Store an upload for `user` and remember it in the session; return the PendingImport."""
    discard()
    folder = _folder()
    _purge_stale(folder)
    suffix = Path(filename).suffix.lower()
    token = secrets.token_urlsafe(24)
    path = folder / f"{int(unix_now())}-{token}{suffix if suffix in SUFFIXES else ''}"
    path.write_bytes(content)
    session[SESSION_KEY] = {"token": path.name, "filename": filename[:200], "user_id": user.id}
    return PendingImport(path, filename[:200])


def pending(user):
    """Return the upload `user` checked in this session, or None if there is none (or expired)."""
    kept = session.get(SESSION_KEY)
    if not kept or kept.get("user_id") != user.id:
        return None
    path = _folder() / kept["token"]
    if not path.is_file() or _is_stale(path.name):
        discard()
        return None
    return PendingImport(path, kept["filename"])


def discard():
    """Forget the session's pending upload and delete its file."""
    kept = session.pop(SESSION_KEY, None)
    if kept:
        (_folder() / Path(kept["token"]).name).unlink(missing_ok=True)
