"""Answering when the disk is full: 507 with a clear message, and nothing saved.

The registry keeps what users send in the database, so a full disk shows up in two ways: the
database refuses the write (SQLite "database or disk is full", PostgreSQL `disk_full`), and the
transaction rolls back whole; or the web server cannot spool a large upload to a temporary file
(ENOSPC) before the view runs. Both end here, not as a 500 or a "database unavailable" page.
"""

import logging
import sqlite3

import psycopg
from flask import jsonify, render_template

from registry.files import is_disk_full

log = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 300
SQLITE_FULL = 13


def is_storage_full(error):
    """Tell whether `error` says the disk, or the database's disk, has no room left."""
    if is_disk_full(error):
        return True
    # peewee keeps the driver's own exception as `orig`.
    original = getattr(error, "orig", None)
    if isinstance(original, psycopg.errors.DiskFull):
        return True
    return (isinstance(original, sqlite3.Error)
            and getattr(original, "sqlite_errorcode", None) == SQLITE_FULL)


def storage_full(error):
    """Answer 507 Insufficient Storage: nothing was saved, try again once space is freed."""
    from registry.faults import wants_json

    log.error("storage full, request not saved: %s: %s", type(error).__name__,
              next(iter(str(error).strip().splitlines()), ""))
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS), "Cache-Control": "no-store"}
    if wants_json():
        body = jsonify(status="unavailable", reason="storage_full",
                       retry_after=RETRY_AFTER_SECONDS)
        return body, 507, headers
    return render_template("errors/storage_full.html"), 507, headers


def handle_os_error(error):
    """Answer a full disk with `storage_full`; any other OSError goes on to be a 500."""
    if is_storage_full(error):
        return storage_full(error)
    raise error


def init_app(app):
    """Answer OSErrors raised while handling a request (spooling an upload, writing a file)."""
    app.register_error_handler(OSError, handle_os_error)
