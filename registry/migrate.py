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

HISTORY_TABLE = "schema_migration"
LOCK_ID = 0x6470615F  # "dpa_" - an arbitrary constant shared by every registry process


def runner():
    """Return a migration runner over the bound database and the packaged migrations folder."""
    return Runner(database.obj, directory=str(asset_dir("migrations")), table_name=HISTORY_TABLE)


@contextmanager
def _exclusive():
    if is_sqlite():
        with database.atomic("IMMEDIATE"):
            yield
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
        return runner().up()


def status():
    """Return (name, applied_at or None) for every migration, in order."""
    return [(migration.name, migration.applied) for migration in runner().status()]


def pending():
    """Return the names of migrations not applied yet."""
    return [name for name, applied in status() if applied is None]
