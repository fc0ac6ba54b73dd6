"""Per-table revisions: for each engine table, the registry revision of its last change.

A snapshot at revision R keeps the rows it read from every table whose last change is at or
before R, so a write to one table reloads only what was read from that table. The triggers of
every engine table are recreated to keep the new table as well as the registry revision.
"""
from peewee import *

from registry.revision import (
    ENGINE_TABLES,
    POSTGRES_FUNCTION,
    TABLE_REVISION_TABLE,
    create_table_revisions,
    install_revision_triggers,
    remove_revision_triggers,
)


def up(migrator, db):
    create_table_revisions(db)
    existing = set(db.get_tables())
    for table in ENGINE_TABLES:
        if table in existing:
            remove_revision_triggers(db, table)
            install_revision_triggers(db, table)


def down(migrator, db):
    existing = set(db.get_tables())
    if not isinstance(db, SqliteDatabase):
        db.execute_sql(POSTGRES_FUNCTION)
    db.execute_sql(f'DROP TABLE {TABLE_REVISION_TABLE}')
    for table in ENGINE_TABLES:
        if table in existing:
            remove_revision_triggers(db, table)
            install_revision_triggers(db, table)
