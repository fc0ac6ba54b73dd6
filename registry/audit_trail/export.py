"""The filtered audit trail as CSV or JSON, for auditors and admins to keep outside the registry.

Each event carries its hash and the previous event's hash, so a copy can be checked against the
chain later. An export is bounded: a filter that matches more than MAX_EVENTS events is refused
with a message asking for a narrower range, rather than building a huge file inside a request.
"""

import io
import json

from registry.csv_export import safe_cell, sha256_cell, writer

FORMAT = "dpa-registry-audit/1"
MAX_EVENTS = 50_000
COLUMNS = (
    ("id", "Event"), ("occurred_at", "Occurred at (UTC)"), ("actor", "Who"), ("ip", "From"),
    ("action", "Action"), ("object_type", "Object"), ("object_id", "Object id"),
    ("summary", "Summary"), ("details", "Details (JSON)"), ("previous_hash", "Previous hash"),
    ("hash", "Hash"),
)
DIGEST_COLUMNS = ("previous_hash", "hash")


class TooManyEvents(Exception):
    """The filter matches more events than one export holds."""


def _utc(moment):
    return moment.isoformat(timespec="seconds") + "Z"


def _record(event):
    try:
        details = json.loads(event.details or "{}")
    except ValueError:
        details = event.details
    return {"id": event.id, "occurred_at": _utc(event.occurred_at), "actor": event.actor_label,
            "ip": event.ip, "action": event.action, "object_type": event.object_type,
            "object_id": event.object_id, "summary": event.summary, "details": details,
            "previous_hash": event.previous_hash, "hash": event.hash}


def exported_records(query):
    """Return the events of `query` as plain records, oldest first, or raise TooManyEvents."""
    total = query.count()
    if total > MAX_EVENTS:
        raise TooManyEvents(
            f"The filter matches {total:,} events; one export holds at most {MAX_EVENTS:,}. "
            "Choose a shorter range of days.")
    return [_record(event) for event in reversed(list(query))]


def audit_csv(records):
    """Return CSV bytes (UTF-8 with BOM, every field quoted, formula-safe) of `records`.

    Hashes read `sha256:<hex>` (see `sha256_cell`); the JSON export has the bare digests.
    """
    buffer = io.StringIO()
    lines = writer(buffer)
    lines.writerow([title for _key, title in COLUMNS])
    for record in records:
        record = dict(record, details=json.dumps(record["details"], ensure_ascii=False,
                                                 sort_keys=True),
                      **{key: sha256_cell(record[key]) for key in DIGEST_COLUMNS})
        lines.writerow([safe_cell(record[key]) for key, _title in COLUMNS])
    return buffer.getvalue().encode("utf-8-sig")


def audit_json(records, filters, exported_at):
    """Return the JSON text of `records`, with the filters that chose them."""
    plain_filters = {name: value.isoformat() if hasattr(value, "isoformat") else value
                     for name, value in filters.items() if value}
    document = {"format": FORMAT, "exported_at": _utc(exported_at), "filters": plain_filters,
                "events": records}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
