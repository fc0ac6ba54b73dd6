"""Applying the numbered scripts in migrations/ with peewee's own runner (playhouse.migrations).

Each script holds frozen table definitions and never imports registry.models, so old migrations
keep working after the models change. Upgrades are serialised: an advisory lock on PostgreSQL,
an immediate transaction on SQLite, so two processes starting at once apply each script once.
"""

from contextlib import contextmanager

from playhouse.migrations import Runner

from registry import asset_dir
from registry.db import is_sqlite
from registry.extensions import database
from registry.revision import ENGINE_TABLES, install_revision_triggers

HISTORY_TABLE = "schema_migration"
LOCK_ID = 0x6470615F  # "dpa_" - an arbitrary constant shared by every registry process


def runner():
    """Return a migration runner over the bound database and the packaged migrations folder."""
    return Runner(database.obj, directory=str(asset_dir("migrations")), table_name=HISTORY_TABLE)


@contextmanager
def _exclusive():
    if is_sqlite():
        with _sqlite_foreign_keys_deferred(), database.atomic("IMMEDIATE"):
            yield
            _refuse_dangling_references()
    else:
        # A migration may rewrite a large table, and waiting for another process's upgrade
        # is expected: REGISTRY_DB_STATEMENT_TIMEOUT is for requests, not for this session.
        database.execute_sql("SET statement_timeout = 0")
        database.execute_sql("SELECT pg_advisory_lock(%s)", (LOCK_ID,))
        try:
            yield
        finally:
            database.execute_sql("SELECT pg_advisory_unlock(%s)", (LOCK_ID,))


def upgrade():
    """Apply every pending migration; return the names applied (empty when up to date)."""
    with _exclusive():
        applied = runner().up()
        if applied and is_sqlite():
            _restore_revision_triggers()
        return applied


def _restore_revision_triggers():
    """Give every engine table its revision triggers again, whatever the scripts did.

    SQLite changes a column by copying the table, and the copy has no triggers: a script that
    forgot to reinstall them would leave writes to that table unseen by every cached snapshot.
    """
    existing = set(database.get_tables())
    for table in ENGINE_TABLES:
        if table in existing:
            install_revision_triggers(database.obj, table)


def status():
    """Return (name, applied_at or None) for every migration, in order."""
    return [(migration.name, migration.applied) for migration in runner().status()]


def pending():
    """Return the names of migrations not applied yet."""
    return [name for name, applied in status() if applied is None]


@contextmanager
def _sqlite_foreign_keys_deferred():
    """Turn SQLite's foreign-key enforcement off around an upgrade, then on again.

    SQLite changes a column by copying the table and dropping the original, and dropping a
    table that other rows reference fails while enforcement is on. The switch is ignored inside
    a transaction, so it is made before the upgrade's transaction begins (SQLite's documented
    procedure for schema changes; the references are checked before commit instead).
    """
    database.execute_sql("PRAGMA foreign_keys = OFF")
    try:
        yield
    finally:
        database.execute_sql("PRAGMA foreign_keys = ON")


def _refuse_dangling_references():
    dangling = database.execute_sql("PRAGMA foreign_key_check").fetchall()
    if dangling:
        table, rowid, parent, _ = dangling[0]
        raise RuntimeError(f"the upgrade left {len(dangling)} rows pointing at missing rows "
                           f"(first: {table} row {rowid} -> {parent}); nothing was applied")

