"""Changing one row without losing someone else's change to it.

An operation re-reads its row inside its write transaction (`lock`), checks its preconditions
on that fresh row, refuses a form that was opened on an older version of it (`check_version`)
and saves only the fields it changes (`save_fields`), raising the row's `row_version`.

The lock: SELECT ... FOR UPDATE on PostgreSQL; SQLite write transactions are BEGIN IMMEDIATE
(registry.db.write_transaction), so only one writer is inside at a time anyway.
"""

from registry.db import is_sqlite

STALE_MESSAGE = ("{name} was changed by someone else since you opened the form; "
                 "reload the page to see the change, then make yours again.")


class StaleEdit(Exception):
    """The record changed after the form that edits it was opened."""

    def __init__(self, name):
        super().__init__(STALE_MESSAGE.format(name=name))


def lock(model, row_id):
    """Re-read the row `row_id` of `model` inside the open write transaction, locking it."""
    query = model.select().where(model.id == row_id)
    if not is_sqlite():
        query = query.for_update()
    return query.get()


def check_version(row, seen_version, name):
    """Refuse the change when the form was opened on another version of `row` than its current.

    `seen_version` None means the caller had no form (a command or import): nothing to compare.
    """
    if seen_version is not None and seen_version != row.row_version:
        raise StaleEdit(name)


def save_fields(row, names):
    """Save only the fields `names` of `row` (with updated_at), and raise its row_version."""
    row.row_version += 1
    row.save(only=[*names, "row_version", "updated_at"])
