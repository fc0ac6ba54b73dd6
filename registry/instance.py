"""Files that must stay private to the account running the registry: secrets, the SQLite file.

Each is created with its final mode in the same system call (never written first and narrowed
afterwards), so no other local user can read it even for a moment. Files found with a wider mode
are reported, not changed: an operator may have given a group access on purpose.
"""

import logging
import os
import stat
from pathlib import Path
from urllib.parse import unquote, urlsplit

log = logging.getLogger(__name__)

PRIVATE_FILE = 0o600
PRIVATE_FOLDER = 0o700
# SQLite creates these beside the database with the database file's own mode.
SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")


def private_folder(path):
    """Create the folder `path` (mode 0700) if it is missing; return it as a Path."""
    path = Path(path)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.mkdir(mode=PRIVATE_FOLDER, exist_ok=True)
    return path


def write_private(path, text):
    """Create the file `path` (mode 0600) holding `text`; refuse to overwrite or follow one."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW,
                         PRIVATE_FILE)
    with os.fdopen(descriptor, "w") as file:
        file.write(text)


def warn_if_shared(path):
    """Log a warning when other users may read the existing file `path`; tell whether so."""
    try:
        mode = stat.S_IMODE(Path(path).stat().st_mode)
    except OSError:
        return False
    if mode & 0o077:
        log.warning("%s can be read by other users (mode %o); make it %o", path, mode,
                    PRIVATE_FILE)
        return True
    return False


def sqlite_path(url):
    """Return the file of a sqlite:/// URL, or None for another database or :memory:."""
    parts = urlsplit(url)
    if parts.scheme != "sqlite":
        return None
    path = unquote(parts.path[1:] if parts.path.startswith("//") else parts.path)
    return Path(path) if path and path != ":memory:" else None


def prepare_sqlite_file(url):
    """Create a missing SQLite database file empty with mode 0600 before SQLite creates it.

    SQLite would create it with the process's umask (usually world-readable), and its -wal and
    -shm files copy the database file's mode.
    """
    path = sqlite_path(url)
    if path is None:
        return
    private_folder(path.parent)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))
    except FileExistsError:
        for candidate in (path, *(Path(f"{path}{suffix}") for suffix in SQLITE_COMPANIONS)):
            warn_if_shared(candidate)
