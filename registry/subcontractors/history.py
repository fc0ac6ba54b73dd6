"""A subcontractor's dated facts over time, so that `check --today D` can answer for a past day.

Before a change to one of DATED_SUBCONTRACTOR_FIELDS is saved, the values it replaces are kept
in a SubcontractorHistory row as valid until the day before the change; the subcontractor row
holds the values from that day on. The engine picks, for a day, the values in force then.
"""

from datetime import timedelta

from peewee import ForeignKeyField

from registry.models import DATED_SUBCONTRACTOR_FIELDS, Subcontractor, SubcontractorHistory


def dated_values(subcontractor):
    """Return {field: value} of the dated facts of a Subcontractor row (a link as its id)."""
    values = {}
    for name in DATED_SUBCONTRACTOR_FIELDS:
        field = Subcontractor._meta.fields[name]
        # The parent's id, not the parent: reading the related row would cost a query per row.
        attribute = field.object_id_name if isinstance(field, ForeignKeyField) else name
        values[name] = getattr(subcontractor, attribute)
    return values


def touches_dated_facts(changed):
    """Tell whether the changed field names include a dated fact."""
    return bool(set(changed) & set(DATED_SUBCONTRACTOR_FIELDS))


def record_before_change(previous, changed_on):
    """Keep each subcontractor's previous dated values as valid until the day before `changed_on`.

    `previous` is {subcontractor id: its dated values before the change}; call this inside the
    write transaction that saves the change.
    """
    if not previous:
        return
    valid_until = changed_on - timedelta(days=1)
    SubcontractorHistory.insert_many([
        {"subcontractor": subcontractor_id, "valid_until": valid_until, **values}
        for subcontractor_id, values in previous.items()
    ]).execute()
