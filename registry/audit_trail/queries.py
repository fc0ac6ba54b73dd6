"""Reads behind the audit trail page: filtered events, newest first, and the filter choices."""

import json
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app

from registry.models import AuditEvent

PAGE_SIZE = 50


def _utc_start_of(day):
    """Return the naive-UTC instant at which `day` starts in REGISTRY_TIMEZONE."""
    local = datetime.combine(day, time.min, tzinfo=ZoneInfo(current_app.config["TIMEZONE"]))
    return local.astimezone(ZoneInfo("UTC")).replace(tzinfo=None)


def filtered_events(action="", object_type="", actor="", since=None, until=None):
    """Return the query of events matching the filters, newest first (dates are local days)."""
    query = AuditEvent.select()
    if action:
        query = query.where(AuditEvent.action == action)
    if object_type:
        query = query.where(AuditEvent.object_type == object_type)
    if actor:
        query = query.where(AuditEvent.actor_label.contains(actor))
    if since:
        query = query.where(AuditEvent.occurred_at >= _utc_start_of(since))
    if until:
        query = query.where(AuditEvent.occurred_at < _utc_start_of(until + timedelta(days=1)))
    return query.order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())


def choices(column):
    """Return the distinct values recorded in `column` (action or object type), sorted."""
    rows = AuditEvent.select(column).distinct().where(column != "").order_by(column).tuples()
    return [value for (value,) in rows]


@dataclass(frozen=True)
class Change:
    """One changed field of an event: its name and the values before and after."""

    field: str
    before: object
    after: object


def event_changes(event):
    """Return (changes, other details) of an event's JSON details."""
    try:
        details = json.loads(event.details or "{}")
    except ValueError:
        return [], {"details": event.details}
    if not isinstance(details, dict):
        return [], {"details": details}
    before, after = details.pop("before", None), details.pop("after", None)
    if not isinstance(before, dict) or not isinstance(after, dict):
        details.update({key: value for key, value in (("before", before), ("after", after))
                        if value is not None})
        return [], details
    fields = list(dict.fromkeys([*before, *after]))
    return [Change(name, before.get(name), after.get(name)) for name in fields], details
