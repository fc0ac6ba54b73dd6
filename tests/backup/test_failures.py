"""A backup that fails leaves no file behind; a restore refuses what it cannot load safely."""

import errno
import os

import pytest

from registry.backup import operations, postgres, sqlite
from registry.extensions import database
from registry.models import User
from tests.factories import make_user


def _files(folder):
    return sorted(path.name for path in folder.iterdir())


@pytest.fixture
def fake_pg_dump(app, tmp_path):
    """A pg_dump that writes half a dump and fails, as when the server goes away mid-dump."""
    program = tmp_path / "tools" / "pg_dump"
    program.parent.mkdir()
    program.write_text('#!/bin/sh\nwhile [ "$1" != "--file" ]; do shift; done\n'
                       'printf "PGDMP half a dump" > "$2"\n'
                       'echo "pg_dump: error: connection to server lost" >&2\nexit 1\n')
    program.chmod(0o755)
    app.config["PG_DUMP"] = str(program)
    return program


def test_a_failed_pg_dump_leaves_no_file(app, runner, tmp_path, fake_pg_dump, database_url):
    if database_url.startswith("sqlite"):
        pytest.skip("pg_dump backs up PostgreSQL only")
    folder = tmp_path / "backups"
    folder.mkdir()
    result = runner.invoke(args=["backup", "-o", str(folder / "registry.backup")])
    assert result.exit_code == 2
    assert ("pg_dump failed (exit code 1): pg_dump: error: connection to server lost"
            in result.output)
    assert _files(folder) == []


def test_a_missing_pg_dump_is_named(app, runner, tmp_path, database_url):
    if database_url.startswith("sqlite"):
        pytest.skip("pg_dump backs up PostgreSQL only")
    app.config["PG_DUMP"] = str(tmp_path / "nowhere" / "pg_dump")
    result = runner.invoke(args=["backup", "-o", str(tmp_path / "registry.backup")])
    assert result.exit_code == 2
    assert "pg_dump was not found" in result.output and "REGISTRY_PG_DUMP" in result.output
    assert not (tmp_path / "registry.backup").exists()


def test_a_full_disk_leaves_neither_the_backup_nor_a_part_file(app, runner, tmp_path,
                                                               monkeypatch):
    folder = tmp_path / "backups"
    folder.mkdir()
    (folder / "registry.backup").write_bytes(b"yesterday's backup")

    def fill_the_disk(temporary):
        with open(temporary, "wb") as file:
            file.write(b"SQLite format 3\x00 and then")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setitem(operations.ENGINES, operations.engine_name(),
                        type("Full", (), {"dump": staticmethod(fill_the_disk)}))
    result = runner.invoke(args=["backup", "-o", str(folder / "registry.backup")])
    assert result.exit_code == 2
    assert "is full: registry.backup was not written" in result.output
    assert _files(folder) == ["registry.backup"]
    assert (folder / "registry.backup").read_bytes() == b"yesterday's backup"


def test_restore_refuses_a_file_that_is_not_a_backup(app, runner, tmp_path):
    bogus = tmp_path / "notes.txt"
    bogus.write_text("not a backup")
    result = runner.invoke(args=["restore", str(bogus)])
    assert result.exit_code == 2
    assert "is not a dpa-registry backup" in result.output


def test_restore_refuses_a_backup_of_the_other_kind_of_database(app, runner, tmp_path,
                                                                 database_url, monkeypatch):
    other = tmp_path / "other.backup"
    if database_url.startswith("sqlite"):
        other.write_bytes(postgres.HEADER + bytes(64))
        monkeypatch.setattr(postgres, "migrations", lambda path: ["0001_initial"])
    else:
        other.write_bytes(sqlite.HEADER + bytes(64))
        monkeypatch.setattr(sqlite, "migrations", lambda path: ["0001_initial"])
    result = runner.invoke(args=["restore", str(other)])
    assert result.exit_code == 2
    assert "restore it into the same kind of database it was made from" in result.output


def test_restore_refuses_a_backup_from_a_newer_version(app, runner, tmp_path, monkeypatch):
    backup = tmp_path / "registry.backup"
    make_user("admin")
    assert runner.invoke(args=["backup", "-o", str(backup)]).exit_code == 0
    newer = [*operations.read_snapshot(backup).migrations, "0099_from_the_future"]
    engine = operations.ENGINES[operations.engine_name()]
    monkeypatch.setattr(engine, "migrations", lambda path: newer)
    result = runner.invoke(args=["restore", "--force", str(backup)])
    assert result.exit_code == 2
    assert "made by a newer dpa-registry" in result.output
    assert "0099_from_the_future" in result.output
    assert User.select().count() == 1


def test_a_damaged_sqlite_backup_is_refused(app, runner, tmp_path):
    damaged = tmp_path / "registry.backup"
    damaged.write_bytes(sqlite.HEADER + b"\xff" * 4000)
    result = runner.invoke(args=["restore", str(damaged)])
    assert result.exit_code == 2
    assert f"{damaged} is not a readable SQLite database" in result.output


def test_the_password_travels_in_the_environment_never_on_the_command_line(app, monkeypatch):
    monkeypatch.setitem(app.config, "DATABASE_URL",
                        "postgres://registry:p%40ss@db.example:5433/registry?sslmode=require")
    assert postgres._address() == "postgresql://registry@db.example:5433/registry?sslmode=require"
    assert postgres._environment()["PGPASSWORD"] == "p@ss"


def test_postgresql_restore_refuses_tables_the_backup_lacks_even_with_force(
        app, runner, tmp_path, database_url):
    if database_url.startswith("sqlite"):
        pytest.skip("SQLite's backup API replaces the whole file, tables included")
    backup = tmp_path / "registry.backup"
    assert runner.invoke(args=["backup", "-o", str(backup)]).exit_code == 0
    database.execute_sql("CREATE TABLE from_a_newer_version (id integer)")
    try:
        result = runner.invoke(args=["restore", "--force", str(backup)])
        assert result.exit_code == 2
        assert "the database has tables the backup does not (from_a_newer_version)" in (
            result.output)
    finally:
        database.execute_sql("DROP TABLE from_a_newer_version")
