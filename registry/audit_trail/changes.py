"""What an audit event says changed: the values of a row's fields before and after a write."""

from datetime import date, datetime


def _plain(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def field_values(row, fields):
    """Return {field: JSON-ready value} of `row` (foreign keys as their ids)."""
    values = {}
    for name in fields:
        field = row._meta.fields[name]
        values[name] = _plain(row.__data__.get(field.name))
    return values


def change_details(before, after):
    """Return {"before": ..., "after": ...} holding only the fields whose values differ."""
    changed = [name for name in after if before.get(name) != after[name]]
    return {
        "before": {name: before.get(name) for name in changed},
        "after": {name: after[name] for name in changed},
    }


def creation_details(row, fields):
    """Return the details of a created row: nothing before, every listed field after."""
    return {"before": {}, "after": field_values(row, fields)}
