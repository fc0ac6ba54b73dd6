"""The registry revision (a counter bumped by triggers on every table the engine reads) and an
optimistic `row_version` on the records people edit in forms.

Triggers go on every table of registry.revision.ENGINE_TABLES that exists when this runs; a
later migration that creates an engine table installs its own with
`install_revision_triggers(db, table)`.
"""
from peewee import *

from registry.revision import (
    ENGINE_TABLES,
    REVISION_TABLE,
    create_revision_table,
    install_revision_triggers,
    remove_revision_triggers,
)

VERSIONED_TABLES = ('controller', 'subcontractor', 'dpa', 'instruction', 'engagement')


def up(migrator, db):
    # Columns first: on PostgreSQL the deferred triggers would leave pending events that
    # forbid altering the same tables later in this transaction.
    migrator.migrate(*[
        migrator.add_column(table, 'row_version', IntegerField(default=1))
        for table in VERSIONED_TABLES
    ])
    create_revision_table(db)
    existing = set(db.get_tables())
    for table in ENGINE_TABLES:
        if table in existing:
            install_revision_triggers(db, table)


def down(migrator, db):
    migrator.migrate(*[migrator.drop_column(table, 'row_version') for table in VERSIONED_TABLES])
    existing = set(db.get_tables())
    for table in ENGINE_TABLES:
        if table in existing:
            remove_revision_triggers(db, table)
    db.execute_sql(f'DROP TABLE {REVISION_TABLE}')
    if not isinstance(db, SqliteDatabase):
        db.execute_sql('DROP FUNCTION IF EXISTS bump_registry_revision()')
