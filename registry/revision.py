"""The registry revision: one counter that every committed change to the engine's tables bumps.

Database triggers bump it, so bulk updates, imports, migrations and manual SQL are seen exactly
like the application's own writes, and the bump commits (or rolls back) with the change itself.
A reader that reads the revision and the rows in one read transaction (`read_transaction`)
therefore knows exactly which registry its rows describe: the assessment is cached by revision.

Migrations call `install_revision_triggers(db, table)` for every engine table they create; the
table's name then belongs in ENGINE_TABLES. Nothing here imports the models, so migrations may
import this module.
"""

from contextlib import contextmanager

from registry.db import is_sqlite
from registry.extensions import database

REVISION_TABLE = "registry_revision"

ENGINE_TABLES = (
    "controller",
    "dpa",
    "instruction",
    "subcontractor",
    "subcontractor_history",
    "flow_down_agreement",
    "attestation_type",
    "attestation",
    "requirement",
    "requirement_option",
    "engagement",
    "adequacy_decision",
    "incident",
    "incident_notice",
)

SQLITE_BUMP = "UPDATE registry_revision SET value = value + 1 WHERE id = 1;"

# On PostgreSQL the triggers are deferred to commit and bump once per transaction: the revision
# row is then locked only for the instant of the commit, after every other lock the transaction
# takes, so writers neither queue behind each other's whole transactions nor deadlock on it.
POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION bump_registry_revision() RETURNS trigger AS $$
BEGIN
    IF current_setting('registry.revision_bumped', true) = 'yes' THEN
        RETURN NULL;
    END IF;
    PERFORM set_config('registry.revision_bumped', 'yes', true);
    UPDATE registry_revision SET value = value + 1 WHERE id = 1;
    RETURN NULL;
END
$$ LANGUAGE plpgsql
"""


def create_revision_table(db):
    """Create the one-row revision table (revision 1) and, on PostgreSQL, the bump function."""
    db.execute_sql("CREATE TABLE IF NOT EXISTS registry_revision "
                   "(id INTEGER PRIMARY KEY CHECK (id = 1), value BIGINT NOT NULL)")
    db.execute_sql("INSERT INTO registry_revision (id, value) SELECT 1, 1 "
                   "WHERE NOT EXISTS (SELECT 1 FROM registry_revision)")
    if not is_sqlite(db):
        db.execute_sql(POSTGRES_FUNCTION)


def install_revision_triggers(db, table):
    """Make every insert, update and delete on `table` bump the registry revision.

    Idempotent. Call it from the migration that creates a table the engine reads (migration
    0007 created the revision table), and again after a migration that rebuilds such a table on
    SQLite (peewee's SQLite migrator copies the table to drop or alter a column, and the copy
    has no triggers). On PostgreSQL the triggers fire at commit; a migration that writes rows
    and then alters the same table runs `SET CONSTRAINTS ALL IMMEDIATE` in between.
    """
    if not table.isidentifier():
        raise ValueError(f"not a table name: {table!r}")
    for statement in (_sqlite_triggers if is_sqlite(db) else _postgres_triggers)(table):
        db.execute_sql(statement)


# The table name is interpolated (SQL has no parameters for identifiers); callers pass names
# from ENGINE_TABLES, checked to be identifiers above.
def _sqlite_triggers(table):
    return [
        f"CREATE TRIGGER IF NOT EXISTS {table}_bumps_revision_{event} AFTER {event.upper()} "
        f"ON {table} BEGIN {SQLITE_BUMP} END"
        for event in ("insert", "update", "delete")
    ]


def _postgres_triggers(table):
    row_trigger, truncate_trigger = f"{table}_bumps_revision", f"{table}_bumps_revision_truncate"
    return [
        f"DROP TRIGGER IF EXISTS {row_trigger} ON {table}",
        f"CREATE CONSTRAINT TRIGGER {row_trigger} AFTER INSERT OR UPDATE OR DELETE ON {table} "
        "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_registry_revision()",
        f"DROP TRIGGER IF EXISTS {truncate_trigger} ON {table}",
        f"CREATE TRIGGER {truncate_trigger} AFTER TRUNCATE ON {table} "
        "FOR EACH STATEMENT EXECUTE FUNCTION bump_registry_revision()",
    ]


def remove_revision_triggers(db, table):
    """Drop the triggers `install_revision_triggers` made on `table` (for a migration's down)."""
    if is_sqlite(db):
        for event in ("insert", "update", "delete"):
            db.execute_sql(f"DROP TRIGGER IF EXISTS {table}_bumps_revision_{event}")
        return
    for name in (f"{table}_bumps_revision", f"{table}_bumps_revision_truncate"):
        db.execute_sql(f"DROP TRIGGER IF EXISTS {name} ON {table}")


def read_revision():
    """Return the registry revision as committed (or as the open read transaction sees it)."""
    row = database.execute_sql("SELECT value FROM registry_revision WHERE id = 1").fetchone()
    return row[0]


@contextmanager
def read_transaction():
    """Read the revision and the rows as one consistent view of the registry.

    REPEATABLE READ on PostgreSQL: every statement sees the snapshot of the first. On SQLite
    (WAL) one deferred transaction already reads one snapshot. Inside a transaction the caller
    opened, the caller's transaction is the view.
    """
    if database.in_transaction():
        yield
    elif is_sqlite():
        with database.atomic():
            yield
    else:
        with database.atomic(isolation_level="REPEATABLE READ"):
            yield
