"""`finding.raised` and `finding.cleared`: the current findings compared with those announced.

Findings are computed, never stored, so there is no write to hang an event on. Instead each
pass of the deliverer (the worker, or serve's thread) compares the keys of the shared
snapshot's findings (registry.checks, assessed once per registry revision) with the keys
announced so far, and queues one event per finding raised or cleared in the transaction that
records the new set. The first pass only records: it would otherwise raise every finding
that already existed. Two passes at once are serialised by the watch row's lock, and the
second finds nothing left to announce.
"""

import json
import weakref

from registry.checks import current_snapshot, finding_as_dict
from registry.db import is_sqlite, write_transaction
from registry.extensions import database
from registry.models import utcnow
from registry.webhooks import events
from registry.webhooks.models import AnnouncedFinding, FindingWatch

CHUNK = 500
WATCH_LOCK_ID = 0x64707757  # an arbitrary constant shared by every registry process
# The last snapshot this process found fully announced: the same snapshot object has the same
# findings, and another process can only have announced those same findings meanwhile.
_settled = {"snapshot": lambda: None}


def finding_key(finding):
    """Return what identifies a finding across assessments: code and subject."""
    return "|".join(str(part) for part in (
        finding.code, finding.subject_type, finding.subject_id, finding.controller_id,
        finding.subcontractor_id))[:255]


def _announced_keys():
    return {key for (key,) in AnnouncedFinding.select(AnnouncedFinding.key).tuples()}


def _lock_watch():
    """Serialise the passes; return the watch row (None before the first pass)."""
    if not is_sqlite():  # SQLite's write transaction is exclusive already
        database.execute_sql("SELECT pg_advisory_xact_lock(%s)", (WATCH_LOCK_ID,))
    return FindingWatch.select().order_by(FindingWatch.id).first()


def _insert(current, keys):
    rows = [{"key": key, "finding": json.dumps(finding_as_dict(current[key])),
             "raised_at": utcnow()} for key in keys]
    for start in range(0, len(rows), CHUNK):
        AnnouncedFinding.insert_many(rows[start:start + CHUNK]).execute()


def _delete(keys):
    keys = list(keys)
    for start in range(0, len(keys), CHUNK):
        AnnouncedFinding.delete().where(AnnouncedFinding.key.in_(keys[start:start + CHUNK])) \
            .execute()


def _cleared_findings(keys):
    query = AnnouncedFinding.select().where(AnnouncedFinding.key.in_(list(keys)))
    return {row.key: json.loads(row.finding) for row in query}


def _announce(event_type, findings):
    endpoints = events.subscribers(event_type)
    if endpoints:
        for finding in findings:
            events.enqueue(event_type, {"finding": finding}, endpoints)


def announce_changes(today=None):
    """Queue `finding.raised`/`finding.cleared` for what changed; return (raised, cleared)."""
    if database.in_transaction():
        raise RuntimeError("announce_changes reads the shared snapshot: call it outside "
                           "a transaction")
    snapshot = current_snapshot(today)
    if _settled["snapshot"]() is snapshot:
        return 0, 0  # the usual pass: the registry did not change since the last one
    current = {finding_key(finding): finding for finding in snapshot.assessment.findings}
    if FindingWatch.select().exists() and _announced_keys() == current.keys():
        _settled["snapshot"] = weakref.ref(snapshot)
        return 0, 0
    with write_transaction():
        watch = _lock_watch()
        announced = _announced_keys()
        raised, cleared = current.keys() - announced, announced - current.keys()
        if watch is not None:
            _announce("finding.raised", [finding_as_dict(current[key]) for key in sorted(raised)])
            _announce("finding.cleared", [finding for _key, finding in
                                          sorted(_cleared_findings(cleared).items())])
            FindingWatch.update(checked_at=utcnow()).where(FindingWatch.id == watch.id) \
                .execute()
        else:
            FindingWatch.create()
        _delete(cleared)
        _insert(current, raised)
    _settled["snapshot"] = weakref.ref(snapshot)
    return (len(raised), len(cleared)) if watch is not None else (0, 0)
