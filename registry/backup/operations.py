"""Making a snapshot of the database and loading one, on SQLite and PostgreSQL alike.

A restore goes only into an empty database: one with no tables, or with only what
`db upgrade` puts there (the schema, the migration history, the revision counters and the
reference data it seeds). Reference data a person edited is never "empty": every edit writes an
audit event, and the audit log is counted like any other table.
"""

import re
from dataclasses import dataclass
from pathlib import Path

from registry import audit, migrate
from registry.backup import postgres, sqlite
from registry.backup.errors import BackupError
from registry.db import is_sqlite
from registry.extensions import database
from registry.files import atomic_path
from registry.models import Alert, AuditEvent, User
from registry.revision import REVISION_TABLE, TABLE_REVISION_TABLE

IDENTIFIER = re.compile(r"[a-z_][a-z0-9_]*")
ENGINES = {"sqlite": sqlite, "postgresql": postgres}
# Tables `db upgrade` fills by itself (registry.seed and the bookkeeping of migrations and
# revisions): rows there do not make a database "not empty".
PREPARED_TABLES = frozenset({
    migrate.HISTORY_TABLE, REVISION_TABLE, TABLE_REVISION_TABLE,
    "attestation_type", "requirement", "requirement_option", "adequacy_decision",
})


@dataclass(frozen=True)
class Snapshot:
    """A backup file: where it is, which database made it, and its schema."""

    path: Path
    engine: str
    migrations: tuple

    @property
    def schema(self):
        """Name the snapshot's last migration."""
        return self.migrations[-1] if self.migrations else "no migrations"


def engine_name():
    """Return 'sqlite' or 'postgresql' for the bound database."""
    return "sqlite" if is_sqlite() else "postgresql"


def make_backup(output):
    """Write a snapshot of the bound database to `output` (mode 0600, whole or not at all)."""
    engine = engine_name()
    with atomic_path(output) as temporary:
        ENGINES[engine].dump(temporary)
    return read_snapshot(output)


def read_snapshot(path):
    """Identify and check the backup file at `path`; raise BackupError when it is not one."""
    path = Path(path)
    try:
        with open(path, "rb") as file:
            header = file.read(len(sqlite.HEADER))
    except OSError as error:
        raise BackupError(f"cannot read {path}: {error.strerror}") from None
    if header.startswith(sqlite.HEADER):
        engine = "sqlite"
    elif header.startswith(postgres.HEADER):
        engine = "postgresql"
    else:
        raise BackupError(f"{path} is not a dpa-registry backup (neither a SQLite database "
                          "nor a pg_dump custom-format archive)")
    return Snapshot(path, engine, tuple(ENGINES[engine].migrations(path)))


def restore(path, force=False):
    """Load the backup at `path` into the bound database; return the Snapshot and the
    migrations applied afterwards to bring an older snapshot up to date.
    """
    snapshot = read_snapshot(path)
    _check_compatible(snapshot)
    held = tables_with_data()
    if held and not force:
        raise BackupError(
            f"the database is not empty (it holds rows in {', '.join(sorted(held)[:5])}"
            f"{' ...' if len(held) > 5 else ''}): restore into an empty database, or pass "
            "--force to replace everything in it with the backup")
    if snapshot.engine == "postgresql":
        _check_no_foreign_tables(snapshot)
    ENGINES[snapshot.engine].load(snapshot.path)
    applied = migrate.upgrade()
    audit.record("registry.restored", summary=f"Restored the registry from {snapshot.path.name}",
                 details={"schema": snapshot.schema, "replaced_data": bool(held)}, actor="cli")
    return snapshot, applied


def tables_with_data():
    """Return the tables of the bound database that hold rows `db upgrade` did not put there."""
    return {table for table in database.get_tables()
            if table not in PREPARED_TABLES and _has_rows(table)}


def counts():
    """Return the numbers an operator compares after a restore drill."""
    return {"users": User.select().count(), "alerts": Alert.select().count(),
            "audit events": AuditEvent.select().count()}


def _has_rows(table):
    if not IDENTIFIER.fullmatch(table):
        return True  # no registry table looks like this: count it as someone's data
    # The name comes from the database's own catalogue and is a plain identifier.
    return database.execute_sql(f'SELECT 1 FROM "{table}" LIMIT 1').fetchone() is not None  # noqa: S608


def _check_compatible(snapshot):
    engine = engine_name()
    if snapshot.engine != engine:
        raise BackupError(
            f"{snapshot.path} is a {snapshot.engine} backup but REGISTRY_DATABASE_URL names a "
            f"{engine} database: restore it into the same kind of database it was made from")
    known = {name for name, _applied in migrate.status()}
    unknown = [name for name in snapshot.migrations if name not in known]
    if unknown:
        raise BackupError(
            f"{snapshot.path} was made by a newer dpa-registry (its schema has {unknown[-1]}, "
            "which this version does not know): install that version to restore it")


def _check_no_foreign_tables(snapshot):
    extra = set(database.get_tables()) - postgres.tables(snapshot.path)
    if extra:
        raise BackupError(
            f"the database has tables the backup does not ({', '.join(sorted(extra)[:5])}): "
            "restore into an empty database")
