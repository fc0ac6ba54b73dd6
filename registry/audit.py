"""The append-only, hash-chained audit log.

Each AuditEvent stores the hash of its predecessor and a SHA-256 over every one of its own
columns except `hash`, so an edited, inserted or deleted row breaks the chain at that point.
Appends are serialised: SQLite write transactions are exclusive already, on PostgreSQL an
advisory transaction lock is taken before the last hash is read; a unique index on
`previous_hash` refuses a fork should anything slip past.
"""

import hashlib
import json
import secrets
import sys

import click
from flask import has_request_context, request

from registry.db import is_sqlite, write_transaction
from registry.extensions import database
from registry.models import AuditEvent, User, utcnow

GENESIS = "0" * 64
CHAIN_LOCK_ID = 0x64706141  # an arbitrary constant shared by every registry process
# Keys that must never reach the log, whatever a caller passes in `details`.
FORBIDDEN_KEYS = ("password", "secret", "token", "cookie", "code")
HASHED_COLUMNS = (
    "id", "occurred_at", "actor_id", "actor_label", "ip", "action", "object_type",
    "object_id", "summary", "details", "previous_hash",
)


def _canonical(event):
    values = {column: getattr(event, column) for column in HASHED_COLUMNS}
    values["occurred_at"] = event.occurred_at.isoformat(timespec="microseconds")
    return json.dumps(values, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def compute_hash(event):
    """Return the SHA-256 (hex) over every column of `event` except `hash`."""
    return hashlib.sha256(_canonical(event).encode()).hexdigest()


def _check_details(details):
    for key in details:
        if any(word in key.lower() for word in FORBIDDEN_KEYS):
            raise ValueError(f"audit details must not carry {key!r}")
    return json.dumps(details, sort_keys=True, ensure_ascii=False, default=str)


def _subject(subject):
    if subject is None:
        return "", ""
    if isinstance(subject, tuple):
        return str(subject[0]), str(subject[1])
    return subject._meta.table_name, str(subject.get_id())


def _actor(actor):
    if actor is None and has_request_context():
        from flask_login import current_user

        if current_user.is_authenticated:
            actor = current_user._get_current_object()
    if isinstance(actor, User):
        return actor.id, actor.email
    if isinstance(actor, str):
        return None, actor
    return None, "anonymous" if has_request_context() else "system"


def _last_hash():
    if not is_sqlite():
        database.execute_sql("SELECT pg_advisory_xact_lock(%s)", (CHAIN_LOCK_ID,))
    last = AuditEvent.select(AuditEvent.hash).order_by(AuditEvent.id.desc()).first()
    return last.hash if last else GENESIS


def record(action, subject=None, summary="", details=None, actor=None):
    """Append an audit event in the current transaction and return it.

    `subject` is a model instance or an (object_type, object_id) pair; `actor` a User, a label
    such as "cli", or None for the signed-in user (or "anonymous"/"system").
    """
    object_type, object_id = _subject(subject)
    actor_id, actor_label = _actor(actor)
    with write_transaction():
        event = AuditEvent.create(
            occurred_at=utcnow(),
            actor=actor_id,
            actor_label=actor_label[:254],
            ip=(request.remote_addr or "")[:64] if has_request_context() else "",
            action=action,
            object_type=object_type,
            object_id=object_id,
            summary=summary,
            details=_check_details(details or {}),
            previous_hash=_last_hash(),
            hash=secrets.token_hex(32),  # placeholder: the real hash covers the id
        )
        event.hash = compute_hash(event)
        AuditEvent.update(hash=event.hash).where(AuditEvent.id == event.id).execute()
    return event


def verify():
    """Walk the chain in order; return the first event that breaks it, or None."""
    previous = GENESIS
    for event in AuditEvent.select().order_by(AuditEvent.id).iterator():
        if event.previous_hash != previous or event.hash != compute_hash(event):
            return event
        previous = event.hash
    return None


@click.group("audit")
def audit_group():
    """Inspect the audit log."""


@audit_group.command("verify")
def verify_command():
    """Check the hash chain; exit 1 and name the first broken event if it was tampered with."""
    with database.connection_context():
        broken = verify()
        count = AuditEvent.select().count()
        head = AuditEvent.select(AuditEvent.hash).order_by(AuditEvent.id.desc()).first()
    if broken is not None:
        click.secho(
            f"audit chain broken at event {broken.id} ({broken.action}, "
            f"{broken.occurred_at:%Y-%m-%d %H:%M:%S} UTC): it or the event before it was "
            "changed, inserted or deleted",
            fg="red",
        )
        sys.exit(1)
    click.echo(f"audit chain intact: {count} events" + (f", head {head.hash}" if head else ""))


commands = [audit_group]
