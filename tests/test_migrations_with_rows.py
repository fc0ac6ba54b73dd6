"""Upgrading a SQLite registry that holds rows: references and revision triggers survive.

SQLite changes a column by copying its table and dropping the original. With rows that reference
the table, the drop used to fail ("FOREIGN KEY constraint failed"), and the copy came without the
triggers that bump the registry revision, so cached snapshots stopped seeing writes to it. A
fresh, empty database showed neither; this test upgrades one in use.
"""

from registry import create_app, migrate
from registry.extensions import database
from registry.revision import ENGINE_TABLES, read_revision
from tests.conftest import base_config

# The last migration before the DPA table gained columns (0012 onwards).
IN_USE_AT = "0011_table_revisions"

ROWS = (
    ("controller", {"id": 1, "key": "c1", "name": "Aurora Kauppa Oy", "status": "active"}),
    ("dpa", {"id": 1, "controller_id": 1, "version": 1, "title": "DPA 2025", "status": "signed",
             "signed_on": "2025-01-02", "subprocessor_authorisation": "general",
             "objection_period_days": 30}),
    ("dpa", {"id": 2, "controller_id": 1, "version": 2, "title": "DPA 2026", "status": "draft",
             "supersedes_id": 1, "subprocessor_authorisation": "general",
             "objection_period_days": 30}),
    ("instruction", {"id": 1, "controller_id": 1, "dpa_id": 1, "title": "Order handling",
                     "text": "Process orders only.", "received_on": "2025-01-03"}),
)
FILLERS = {"integer": 1, "date": "2025-01-01", "datetime": "2025-01-01 00:00:00"}


def _insert(table, values):
    """Insert `values`, filling the other required columns of the table as it is now."""
    row = dict(values)
    for column in database.get_columns(table):
        if column.name not in row and not column.null and not column.primary_key:
            row[column.name] = FILLERS.get(column.data_type.lower(), "")
    names = ", ".join(f'"{name}"' for name in row)
    marks = ", ".join("?" for _ in row)
    database.execute_sql(f'INSERT INTO "{table}" ({names}) VALUES ({marks})',  # noqa: S608
                         list(row.values()))


def _tables_with_triggers():
    query = "SELECT DISTINCT tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE ?"
    return {table for (table,) in database.execute_sql(query, ("%bumps_revision%",))}


def test_a_registry_in_use_upgrades_with_its_references_and_triggers(tmp_path, monkeypatch):
    monkeypatch.setenv("REGISTRY_INSTANCE_PATH", str(tmp_path / "instance"))
    app = create_app(base_config(tmp_path, f"sqlite:///{tmp_path / 'in-use.sqlite3'}"))
    with app.app_context(), database.connection_context():
        migrate.runner().up(IN_USE_AT)
        with database.atomic():
            for table, values in ROWS:
                _insert(table, values)

        applied = migrate.upgrade()

        assert applied and migrate.pending() == []
        assert database.execute_sql("PRAGMA foreign_key_check").fetchall() == []
        assert database.execute_sql("PRAGMA foreign_keys").fetchone() == (1,)
        counts = {table: database.execute_sql(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]
                  for table in ("controller", "dpa", "instruction")}
        assert counts == {"controller": 1, "dpa": 2, "instruction": 1}
        assert _tables_with_triggers() == set(ENGINE_TABLES)
        before = read_revision()
        database.execute_sql("UPDATE dpa SET title = 'DPA 2025 (signed copy)' WHERE id = 1")
        assert read_revision() > before
