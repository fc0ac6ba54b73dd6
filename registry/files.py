"""Writing a file whole or not at all: a full disk leaves the old file, or none, never half of one.

Every file the registry writes (backups, reports, exports) is written under a temporary name in
the target's own folder, flushed to disk, and renamed over the target only when complete; any
error removes the temporary file, so no `.part` file is left behind. A rename inside one folder
is atomic: a reader sees the old file or the new one.
"""

import errno
import os
import secrets
from contextlib import contextmanager
from pathlib import Path

PRIVATE_FILE = 0o600
PART_SUFFIX = ".part"


class DiskFull(OSError):
    """The disk (or the user's quota) has no room: the message says what was not written."""


def is_disk_full(error):
    """Tell whether `error` is the operating system saying there is no space (or quota) left."""
    return isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EDQUOT)


def disk_full_message(path):
    """Return the one line shown when `path` could not be written for lack of space."""
    return (f"the disk holding {Path(path).parent} is full: {Path(path).name} was not written "
            "(nothing was left half-written); free some space and try again")


@contextmanager
def atomic_path(target, mode=PRIVATE_FILE):
    """Yield a temporary path beside `target` to write; on success it replaces `target`.

    The temporary file exists (empty, with `mode`) when the block starts, so a writer that
    opens it by name keeps the mode. On any exception it is removed and the exception raised
    again; a full disk becomes `DiskFull`.
    """
    target = Path(target)
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(4)}{PART_SUFFIX}")
    os.close(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, mode))
    try:
        yield temporary
        _sync_file(temporary)
        os.replace(temporary, target)
        _sync_folder(target.parent)
    except BaseException as error:
        temporary.unlink(missing_ok=True)
        if is_disk_full(error):
            raise DiskFull(error.errno, disk_full_message(target)) from error
        raise


def write_atomically(target, data, mode=PRIVATE_FILE):
    """Write the bytes `data` to `target` whole or not at all (see `atomic_path`)."""
    with atomic_path(target, mode) as temporary, open(temporary, "wb") as file:
        file.write(data)


def _sync_file(path):
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _sync_folder(path):
    # Makes the rename itself durable: without it a crash may bring back the old name.
    descriptor = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
