"""The `subject_requests` and `assistance_requests` sections as record kinds.

Both are matched by their `reference`. Instants are written in ISO 8601 with the offset of
REGISTRY_TIMEZONE and stored in UTC, so an export imports back to the same values. The answer
document of an assistance request stays in the registry (and its backups): the section carries
what was answered and when.
"""

from peewee import JOIN

from registry.incidents.operations import naive_utc
from registry.incidents.queries import aware
from registry.interchange.kinds import Kind
from registry.interchange.schema import ASSISTANCE_REQUEST_FIELDS, SUBJECT_REQUEST_FIELDS
from registry.models import AssistanceRequest, Controller, SubjectRequest
from registry.validation import past_instant_error

INSTANTS = ("received_at", "due_at", "forwarded_at", "closed_at")


class _ByReference(Kind):
    """A request kind: keyed by reference, its controller exported and compared by key."""

    def key(self, record):
        return record["reference"]

    def load(self):
        query = (self.model.select(self.model, Controller.key.alias("controller_key"))
                 .join(Controller, JOIN.LEFT_OUTER))
        rows = list(query.dicts())
        for row in rows:
            row["controller"] = row.pop("controller_key")
        return {row["reference"]: row for row in rows}

    def columns(self, key, values, ids):
        row = {"reference": key, **values}
        if row.get("controller") is not None:
            row["controller"] = ids["controllers"][row["controller"]]
        return row


class SubjectRequestKind(_ByReference):
    label = collection = "subject_requests"
    model = SubjectRequest
    plain = tuple(field.name for field in SUBJECT_REQUEST_FIELDS if field.name != "reference")

    def values(self, record):
        return {name: naive_utc(value) if name in INSTANTS else value
                for name, value in super().values(record).items()}


class AssistanceRequestKind(_ByReference):
    label = collection = "assistance_requests"
    model = AssistanceRequest
    plain = tuple(field.name for field in ASSISTANCE_REQUEST_FIELDS if field.name != "reference")


REQUEST_KINDS = (SubjectRequestKind(), AssistanceRequestKind())


def _plain(name, value):
    if name in INSTANTS:
        return aware(value).isoformat() if value is not None else None
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return list(value) if isinstance(value, list) else value


def request_records(loaded, label, fields):
    """Return the `label` section of an export, sorted by reference."""
    return [{field.name: _plain(field.name, row[field.name]) for field in fields}
            for _reference, row in sorted(loaded[label].items())]


def _order_problem(later, earlier, message):
    return message if later is not None and earlier is not None and later < earlier else None


def request_problems(collection, record, today, limit):
    """Yield (field path, message) for a request record the pages would refuse; times may not
    lie after `limit` (the end of `today`), dates not after `today`."""
    if collection == "subject_requests":
        received = record["received_at"]
        checks = [
            ("received_at", past_instant_error("The time it arrived", received, limit)),
            ("forwarded_at", past_instant_error("The forwarding time", record["forwarded_at"],
                                                limit)
             or _order_problem(record["forwarded_at"], received,
                               "A request cannot be forwarded before it arrived.")),
            ("closed_at", past_instant_error("The closing time", record["closed_at"], limit)
             or _order_problem(record["closed_at"], received,
                               "A request cannot be closed before it arrived.")),
        ]
        if record["forwarded_at"] is not None and record["controller"] is None:
            checks.append(("controller", "A forwarded request names its controller."))
        if record["closed_at"] is not None and record["forwarded_at"] is None:
            checks.append(("closed_at", "A request is closed only once it was forwarded."))
    else:
        checks = [
            ("due_on", _order_problem(record["due_on"], record["received_on"],
                                      "The due date cannot be before the day it was received.")),
            ("answered_on", _answered_problem(record, today)),
        ]
    for path, message in checks:
        if message:
            yield path, message


def _answered_problem(record, today):
    answered = record["answered_on"]
    if answered is not None and answered > today:
        return "The answer date cannot be in the future."
    return _order_problem(answered, record["received_on"],
                          "The answer date cannot be before the day the request arrived.")
