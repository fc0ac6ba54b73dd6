"""Security events in the audit log (ASVS 16.3): refused access, ids that are not the
requester's, refused CSRF tokens and document downloads, each with actor, address and time.

Anyone can cause the first three by the thousand, so one actor from one address gets at most
PER_MINUTE events of one kind a minute; beyond that the application log counts them, the audit
log does not grow. Only the endpoint and the numeric ids of the URL are kept, never the path
itself (a link may carry a token).
"""

import logging
from datetime import timedelta

from flask import has_request_context, request
from flask_login import current_user
from peewee import DatabaseError

from registry import audit
from registry.db import write_transaction
from registry.models import AuditEvent, utcnow

log = logging.getLogger(__name__)

PER_MINUTE = 20
ACCESS_REFUSED = "security.access_refused"
NOT_FOUND = "security.not_found"
CSRF_REFUSED = "security.csrf_refused"
DOWNLOADED = "document.downloaded"


def _actor_label():
    return current_user.email if current_user.is_authenticated else "anonymous"


def _address():
    return (request.remote_addr or "")[:64]


def _over_the_limit(action):
    since = utcnow() - timedelta(minutes=1)
    recent = AuditEvent.select().where(
        (AuditEvent.action == action)
        & (AuditEvent.ip == _address())
        & (AuditEvent.actor_label == _actor_label()[:254])
        & (AuditEvent.occurred_at >= since)
    ).count()
    return recent >= PER_MINUTE


def _numeric_ids():
    return {name: value for name, value in (request.view_args or {}).items()
            if isinstance(value, int)}


def record(action, summary, details=None, subject=None):
    """Append a security event for this request unless its actor and address had their share.

    Return the event, or None when it was only counted in the application log.
    """
    if not has_request_context():
        return None
    details = {"endpoint": request.endpoint, "method": request.method, **_numeric_ids(),
               **(details or {})}
    with write_transaction():
        if _over_the_limit(action):
            log.warning("%s from %s not audited: more than %d a minute", action, _address(),
                        PER_MINUTE)
            return None
        return audit.record(action, subject, summary, details)


def record_refusals(response):
    """After a request: audit a 403, and a 404 for an id in the URL (someone else's or none)."""
    try:
        if response.status_code == 403:
            record(ACCESS_REFUSED, "Access refused")
        elif response.status_code == 404 and request.endpoint and _numeric_ids():
            record(NOT_FOUND, "No such object, or not the requester's")
    except DatabaseError as error:  # the answer stands even when the log cannot be written
        log.warning("security event not recorded: %s", type(error).__name__)
    return response


def record_csrf_refusal(reason):
    """Audit a form refused for its CSRF token (missing, forged or expired)."""
    try:
        record(CSRF_REFUSED, "Form refused: its CSRF token is missing, wrong or expired",
               {"reason": reason})
    except DatabaseError as error:
        log.warning("security event not recorded: %s", type(error).__name__)


def record_download(document):
    """Audit the download of a stored document."""
    record(DOWNLOADED, f"Downloaded {document.filename}", subject=document)
