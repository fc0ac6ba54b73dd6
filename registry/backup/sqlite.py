"""SQLite snapshots: the online backup API, which copies a consistent image while others write."""

import sqlite3
from pathlib import Path
from urllib.parse import quote

from registry.backup.errors import BackupError
from registry.extensions import database

HEADER = b"SQLite format 3\x00"


def dump(temporary):
    """Copy the bound database into the file `temporary` as one self-contained file."""
    target = sqlite3.connect(temporary)
    try:
        # One step: the source is read inside a single read transaction, so the copy is the
        # database as of one instant even while the web processes keep writing.
        database.connection().backup(target)
        # A single file: no -wal beside it, whatever the source's journal mode.
        target.execute("PRAGMA journal_mode=DELETE")
        _check_integrity(target, temporary)
    finally:
        target.close()


def migrations(path):
    """Return the names of the migrations applied in the snapshot at `path`, in order."""
    source = _open_read_only(path)
    try:
        _check_integrity(source, path)
        try:
            rows = source.execute("SELECT name FROM schema_migration ORDER BY id").fetchall()
        except sqlite3.DatabaseError:
            raise BackupError(f"{path} is a SQLite file but not a dpa-registry backup "
                              "(it has no schema_migration table)") from None
    finally:
        source.close()
    return [name for (name,) in rows]


def load(path):
    """Replace the bound database's whole content with the snapshot at `path`, atomically."""
    source = _open_read_only(path)
    try:
        # The backup API writes the destination in one transaction: all of it or nothing.
        source.backup(database.connection())
    finally:
        source.close()
    # The copied header carries the snapshot's journal mode: back to the registry's WAL.
    database.execute_sql("PRAGMA journal_mode=WAL")


def _open_read_only(path):
    return sqlite3.connect(f"file:{quote(str(Path(path).resolve()))}?mode=ro", uri=True)


def _check_integrity(connection, path):
    try:
        (verdict,) = connection.execute("PRAGMA quick_check").fetchone()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path} is not a readable SQLite database: {error}") from None
    if verdict != "ok":
        raise BackupError(f"{path} is damaged (SQLite quick_check: {verdict})")
