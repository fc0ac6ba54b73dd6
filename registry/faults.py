"""Answering while the database is down: a 503 with Retry-After, never a 500 or a hang.

The connect and statement timeouts (registry.db.Timeouts) bound how long a request waits; the
errors they raise, like a refused or lost connection, end here as one short page (or JSON for
a JSON client). Every request opens its own connection, so the first one after the database
is back succeeds: nothing needs a restart.
"""

import logging

import peewee
import psycopg
from flask import jsonify, render_template, request
from flask.globals import request_ctx

from registry import disk_full

log = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
OUTAGE_ERRORS = (
    peewee.OperationalError,
    peewee.InterfaceError,
    psycopg.OperationalError,
    psycopg.InterfaceError,
)


def is_outage(error):
    """Tell whether `error` means the database cannot answer now (refused, lost, timed out)."""
    return isinstance(error, OUTAGE_ERRORS)


def wants_json():
    """Tell whether the client asked for JSON rather than a page."""
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return request.is_json or best == "application/json"


def unavailable(error):
    """Answer 503 with Retry-After for a database that cannot be reached in time."""
    if disk_full.is_storage_full(error):
        return disk_full.storage_full(error)
    first_line = next(iter(str(error).strip().splitlines()), "")
    log.warning("database unavailable: %s: %s", type(error).__name__, first_line)
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS), "Cache-Control": "no-store"}
    if wants_json():
        body = jsonify(status="unavailable", reason="database",
                       retry_after=RETRY_AFTER_SECONDS)
        return body, 503, headers
    page = render_template("errors/unavailable.html", retry_after=RETRY_AFTER_SECONDS)
    return page, 503, headers


def handle_early_outage(app, error):
    """Return the 503 response for an outage before any view ran (opening the session), or None.

    Flask sends such errors straight to its 500 page, past the handlers `init_app` registers.
    """
    if not is_outage(error):
        return None
    # The session could not be opened: a null one is not saved, so nothing touches the database.
    if request_ctx and request_ctx._session is None:
        request_ctx._session = app.session_interface.make_null_session(app)
    return app.finalize_request(unavailable(error), from_error_handler=True)


def init_app(app):
    """Answer database outages raised by views and request hooks with `unavailable`."""
    for error_class in OUTAGE_ERRORS:
        app.register_error_handler(error_class, unavailable)
