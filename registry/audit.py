"""The append-only, hash-chained and keyed audit log.

Each AuditEvent stores the hash of its predecessor and a SHA-256 over every one of its own
columns except `hash` and `mac`, so an edited, inserted or deleted row breaks the chain at that
point; `mac` is an HMAC of `hash` under REGISTRY_AUDIT_KEY (see registry/audit_mac.py), so a
chain recomputed by someone with database access but without the key no longer verifies.
Truncating the newest events is shown by an exported head (`audit head`, checked by
`audit verify --head`). Rows are written once, complete: triggers refuse UPDATE and DELETE.
Appends are serialised: SQLite write transactions are exclusive already, on PostgreSQL an
advisory transaction lock is taken before the last hash is read; a unique index on
`previous_hash` refuses a fork should anything slip past.
"""

import hashlib
import json
import sys
from datetime import UTC, datetime
from pathlib import Path

import click
from flask import current_app, has_request_context, request

from registry import audit_mac
from registry.db import is_sqlite, write_transaction
from registry.extensions import database
from registry.models import AuditEvent, User, utcnow
from registry.webhooks.events import enqueue_from_audit

GENESIS = "0" * 64
CHAIN_LOCK_ID = 0x64706141  # an arbitrary constant shared by every registry process
# Keys that must never reach the log, whatever a caller passes in `details`.
FORBIDDEN_KEYS = ("password", "secret", "token", "cookie", "code")
HASHED_COLUMNS = (
    "id", "occurred_at", "actor_id", "actor_label", "ip", "action", "object_type",
    "object_id", "summary", "details", "previous_hash",
)


class HeadError(Exception):
    """An exported head that cannot be read or whose MAC does not match the key."""


def _canonical(event):
    values = {column: getattr(event, column) for column in HASHED_COLUMNS}
    values["occurred_at"] = event.occurred_at.isoformat(timespec="microseconds")
    return json.dumps(values, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def compute_hash(event):
    """Return the SHA-256 (hex) over every column of `event` except `hash` and `mac`."""
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


def _last_event():
    if not is_sqlite():
        database.execute_sql("SELECT pg_advisory_xact_lock(%s)", (CHAIN_LOCK_ID,))
    return AuditEvent.select(AuditEvent.id, AuditEvent.hash).order_by(
        AuditEvent.id.desc()).first()


def _next_id(last):
    """Return the id the new event gets, known before the insert because its hash covers it."""
    if is_sqlite():
        return (last.id if last else 0) + 1  # the write transaction is exclusive
    return database.execute_sql(
        "SELECT nextval(pg_get_serial_sequence('audit_event', 'id'))").fetchone()[0]


def record(action, subject=None, summary="", details=None, actor=None):
    """Append an audit event in the current transaction and return it.

    `subject` is a model instance or an (object_type, object_id) pair; `actor` a User, a label
    such as "cli", or None for the signed-in user (or "anonymous"/"system").
    """
    object_type, object_id = _subject(subject)
    actor_id, actor_label = _actor(actor)
    with write_transaction():
        last = _last_event()
        event = AuditEvent(
            id=_next_id(last),
            occurred_at=utcnow(),
            actor=actor_id,
            actor_label=actor_label[:254],
            ip=(request.remote_addr or "")[:64] if has_request_context() else "",
            action=action,
            object_type=object_type,
            object_id=object_id,
            summary=summary,
            details=_check_details(details or {}),
            previous_hash=last.hash if last else GENESIS,
        )
        event.hash = compute_hash(event)
        event.mac = audit_mac.event_mac(current_app.config["AUDIT_KEY"], event.hash)
        event.save(force_insert=True)
        enqueue_from_audit(event)  # the webhook event it stands for, in this same transaction
    return event


def verification_keys(config=None):
    """Return {key id: key} of the current key and the previous ones, and the order of ids.

    The order is oldest first: after a rotation no event may go back to an older key.
    """
    config = config or current_app.config
    keys = [*(config.get("AUDIT_PREVIOUS_KEYS") or ()), config["AUDIT_KEY"]]
    return {audit_mac.key_id(key): key for key in keys}, [audit_mac.key_id(key) for key in keys]


def _mac_problem(event, keys, order, newest_rank):
    """Return (reason or None, the key's rank) for the MAC of one event."""
    stored_id, _, _ = (event.mac or "").partition(":")
    if stored_id not in keys:
        return "has no MAC made with a configured REGISTRY_AUDIT_KEY", newest_rank
    rank = order.index(stored_id)
    if rank < newest_rank:
        return "carries a MAC of a key that was replaced before it", newest_rank
    if not audit_mac.mac_matches(event.mac, audit_mac.event_mac(keys[stored_id], event.hash)):
        return "has a MAC that does not match", rank
    return None, rank


def verify():
    """Walk the chain in order; return (first event that breaks it, reason), or (None, None)."""
    keys, order = verification_keys()
    previous, newest_rank = GENESIS, 0
    for event in AuditEvent.select().order_by(AuditEvent.id).iterator():
        if event.previous_hash != previous:
            return event, "does not follow the event before it (one was deleted or inserted)"
        if event.hash != compute_hash(event):
            return event, "was changed after it was recorded"
        problem, newest_rank = _mac_problem(event, keys, order, newest_rank)
        if problem:
            return event, problem
        previous = event.hash
    return None, None


def current_head():
    """Return the exported head of the chain now: newest id, hash, count, MAC; None if empty."""
    newest = AuditEvent.select().order_by(AuditEvent.id.desc()).first()
    if newest is None:
        return None
    key = current_app.config["AUDIT_KEY"]
    return {
        "event_id": newest.id,
        "hash": newest.hash,
        "events": AuditEvent.select().count(),
        "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "key_id": audit_mac.key_id(key),
        "mac": audit_mac.head_mac(key, newest.id, newest.hash),
    }


def read_head(text):
    """Parse an exported head and check its MAC; raise HeadError when either fails."""
    try:
        head = json.loads(text)
        event_id, event_hash = int(head["event_id"]), str(head["hash"])
        key = verification_keys()[0][head["key_id"]]
    except (ValueError, KeyError, TypeError):
        raise HeadError("not an audit head written by `dpa-registry audit head`, or made with "
                        "a key that is not configured") from None
    if not audit_mac.mac_matches(head.get("mac"), audit_mac.head_mac(key, event_id, event_hash)):
        raise HeadError("the head's MAC does not match: it was edited or made with another key")
    return event_id, event_hash


def head_problem(event_id, event_hash):
    """Return why the chain does not contain an exported head, or None when it does."""
    event = AuditEvent.get_or_none(AuditEvent.id == event_id)
    if event is None:
        return f"event {event_id} of the exported head is missing: the log was truncated"
    if event.hash != event_hash:
        return f"event {event_id} differs from the exported head: the log was rewritten"
    return None


def write_head(path):
    """Write the current head to `path` as JSON; return it (None for an empty log)."""
    head = current_head()
    if head is not None:
        with open(path, "w", encoding="utf-8") as file:
            json.dump(head, file, indent=2)
            file.write("\n")
    return head


def write_daily_head(folder):
    """Write today's head (UTC date) into `folder` as audit-head-YYYY-MM-DD.json; return the path.

    An operator ships the folder somewhere the database's administrators cannot rewrite (a log
    server, another host's mount); `audit verify --head` then detects truncation before it.
    """
    path = Path(folder)
    path.mkdir(parents=True, exist_ok=True)
    target = path / f"audit-head-{datetime.now(UTC):%Y-%m-%d}.json"
    return target if write_head(target) is not None else None


@click.group("audit")
def audit_group():
    """Inspect the audit log."""


def _fail(message):
    click.secho(message, fg="red", err=True)
    sys.exit(1)


@audit_group.command("verify")
@click.option("--head", "head_file", type=click.File("r", encoding="utf-8"),
              help="An exported head (from `audit head`): the log must still contain it.")
def verify_command(head_file):
    """Check the chain and its MACs (and an exported head); exit 1 naming what is wrong."""
    with database.connection_context():
        broken, reason = verify()
        if broken is not None:
            _fail(f"audit chain broken at event {broken.id} ({broken.action}, "
                  f"{broken.occurred_at:%Y-%m-%d %H:%M:%S} UTC): it {reason}")
        if head_file is not None:
            try:
                problem = head_problem(*read_head(head_file.read()))
            except HeadError as error:
                _fail(f"audit head refused: {error}")
            if problem:
                _fail(f"audit chain broken: {problem}")
        head = current_head()
    summary = f"audit chain intact: {head['events'] if head else 0} events"
    if head:
        summary += f", head {head['event_id']} {head['hash']}"
    if head_file is not None:
        summary += "; the exported head is part of it"
    click.echo(summary)


@audit_group.command("head")
@click.option("-o", "--output", "path", required=True, type=click.Path(dir_okay=False),
              help="File to write the head to (JSON); keep it away from the database.")
def head_command(path):
    """Export the newest event's id and hash with a MAC, to detect truncation later."""
    with database.connection_context():
        head = write_head(path)
    if head is None:
        _fail("the audit log is empty: there is no head to export")
    click.echo(f"audit head written to {path}: event {head['event_id']} of {head['events']}")


commands = [audit_group]
