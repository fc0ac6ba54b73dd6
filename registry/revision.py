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
# Per engine table, the registry revision of its last committed change (migration 0011): a
# snapshot at revision R can keep what it read from a table whose entry is R or less.
TABLE_REVISION_TABLE = "registry_table_revision"

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
    "subject_request",
    "assistance_request",
    "return_or_deletion",
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


# Migration 0011: the same bump, and the table's entry in registry_table_revision set to the
# new revision once per table and transaction.
POSTGRES_TABLE_FUNCTION = """
CREATE OR REPLACE FUNCTION bump_registry_revision() RETURNS trigger AS $$
BEGIN
    IF current_setting('registry.revision_bumped', true) IS DISTINCT FROM 'yes' THEN
        PERFORM set_config('registry.revision_bumped', 'yes', true);
        UPDATE registry_revision SET value = value + 1 WHERE id = 1;
    END IF;
    IF current_setting('registry.bumped_' || TG_TABLE_NAME, true) IS DISTINCT FROM 'yes' THEN
        PERFORM set_config('registry.bumped_' || TG_TABLE_NAME, 'yes', true);
        INSERT INTO registry_table_revision (table_name, value)
            SELECT TG_TABLE_NAME, value FROM registry_revision WHERE id = 1
        ON CONFLICT (table_name) DO UPDATE SET value = EXCLUDED.value;
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql
"""


def create_table_revisions(db):
    """Create registry_table_revision and make every engine table's triggers keep it (0011)."""
    db.execute_sql(f"CREATE TABLE IF NOT EXISTS {TABLE_REVISION_TABLE} "
                   "(table_name VARCHAR(63) PRIMARY KEY, value BIGINT NOT NULL)")
    if not is_sqlite(db):
        db.execute_sql(POSTGRES_TABLE_FUNCTION)


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
    # Before migration 0011 there is no per-table entry to keep.
    per_table = TABLE_REVISION_TABLE in db.get_tables()
    statements = _sqlite_triggers(table, per_table) if is_sqlite(db) else _postgres_triggers(table)
    for statement in statements:
        db.execute_sql(statement)
    if per_table:
        # Every snapshot from now on has read the table as it is: its entry starts here.
        db.execute_sql(
            f"INSERT INTO {TABLE_REVISION_TABLE} (table_name, value) "  # noqa: S608 - checked
            f"SELECT '{table}', value FROM {REVISION_TABLE} WHERE id = 1 AND NOT EXISTS "
            f"(SELECT 1 FROM {TABLE_REVISION_TABLE} WHERE table_name = '{table}')")


# The table name is interpolated (SQL has no parameters for identifiers); callers pass names
# from ENGINE_TABLES, checked to be identifiers above.
def _sqlite_triggers(table, per_table=True):
    body = SQLITE_BUMP
    if per_table:
        body += (f" INSERT OR REPLACE INTO {TABLE_REVISION_TABLE} (table_name, value) "  # noqa: S608 - an identifier, checked
                 f"SELECT '{table}', value FROM {REVISION_TABLE} WHERE id = 1;")
    return [
        f"CREATE TRIGGER IF NOT EXISTS {table}_bumps_revision_{event} AFTER {event.upper()} "
        f"ON {table} BEGIN {body} END"
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


def read_table_revisions():
    """Return {engine table: the registry revision of its last committed change}.

    A table with no entry (none since migration 0011, or the entries were truncated) is
    absent: nothing is known of it, so nothing read from it may be kept.
    """
    rows = database.execute_sql("SELECT table_name, value FROM registry_table_revision")
    return dict(rows.fetchall())


def unchanged_tables(table_revisions, revision):
    """Return the tables whose last change is at or before `revision`."""
    return frozenset(table for table, changed in table_revisions.items() if changed <= revision)


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
