"""Tampering with the audit log as someone with the database owner's rights would."""

from contextlib import contextmanager

from registry.db import is_sqlite
from registry.extensions import database

SQLITE_TRIGGERS = {
    "audit_event_no_update": "CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event "
                             "BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END",
    "audit_event_no_delete": "CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event "
                             "BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END",
}


@contextmanager
def append_only_guard_lifted():
    """Disable the triggers that refuse UPDATE and DELETE on audit_event, then restore them."""
    if is_sqlite():
        for name in SQLITE_TRIGGERS:
            database.execute_sql(f"DROP TRIGGER {name}")
    else:
        database.execute_sql("ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only")
    try:
        yield
    finally:
        if is_sqlite():
            for statement in SQLITE_TRIGGERS.values():
                database.execute_sql(statement)
        else:
            database.execute_sql("ALTER TABLE audit_event ENABLE TRIGGER audit_event_append_only")
