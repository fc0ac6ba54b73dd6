"""PostgreSQL snapshots with the client tools: `pg_dump --format=custom` and `pg_restore`.

The tools are found on PATH or named by REGISTRY_PG_DUMP / REGISTRY_PG_RESTORE. They connect
with the registry's own database URL; its password travels in PGPASSWORD, never on a command
line that other local users could read.
"""

import os
import re
import shutil
import subprocess
from urllib.parse import unquote, urlsplit

from flask import current_app

from registry.backup.errors import BackupError

HEADER = b"PGDMP"
# One line of `pg_restore --list`: "215; 1259 16390 TABLE public alert postgres".
LISTED_TABLE = re.compile(r"^\d+; \d+ \d+ TABLE (\S+) (\S+) ")


def dump(temporary):
    """Write a custom-format dump of the configured database into the file `temporary`."""
    _run("PG_DUMP", "pg_dump", "--format=custom", "--file", str(temporary),
         "--dbname", _address())
    tables(temporary)  # read it back: a dump pg_restore cannot list is no backup


def tables(path):
    """Return the names of the tables in the dump at `path`."""
    listing = _run("PG_RESTORE", "pg_restore", "--list", str(path))
    return {match[2] for line in listing.splitlines() if (match := LISTED_TABLE.match(line))}


def migrations(path):
    """Return the names of the migrations applied in the dump at `path`, in order."""
    script = _run("PG_RESTORE", "pg_restore", "--data-only", "--table=schema_migration",
                  "--file=-", str(path))
    return _copied_column(script, "schema_migration", "name")


def load(path):
    """Load the dump at `path` into the configured database in one transaction.

    `--clean --if-exists` first drops the dump's own objects, so a database that `db upgrade`
    already prepared (schema and reference data, nothing else) takes the dump as well as a
    new one; any error rolls the whole load back.
    """
    _run("PG_RESTORE", "pg_restore", "--clean", "--if-exists", "--single-transaction",
         "--exit-on-error", "--no-owner", "--no-privileges", "--dbname", _address(), str(path))


def _copied_column(script, table, column):
    values, columns = [], None
    for line in script.splitlines():
        if columns is None:
            found = re.match(rf"COPY (?:\S+\.)?{table} \((.*)\) FROM stdin;", line)
            columns = [name.strip() for name in found[1].split(",")] if found else None
        elif line == "\\.":
            break
        else:
            values.append(line.split("\t")[columns.index(column)])
    if columns is None:
        raise BackupError("the dump has no schema_migration table: it is not a dpa-registry "
                          "backup")
    return values


def _address():
    parts = urlsplit(current_app.config["DATABASE_URL"])
    netloc = parts.netloc.rpartition("@")[2]
    if parts.username:
        netloc = f"{parts.username}@{netloc}"
    return parts._replace(scheme="postgresql", netloc=netloc).geturl()


def _environment():
    environment = dict(os.environ)
    password = urlsplit(current_app.config["DATABASE_URL"]).password
    if password:
        environment["PGPASSWORD"] = unquote(password)
    environment["PGCONNECT_TIMEOUT"] = str(current_app.config["DB_CONNECT_TIMEOUT"])
    return environment


def _tool(setting, name):
    path = current_app.config.get(setting) or shutil.which(name)
    if not path or not os.access(path, os.X_OK):
        raise BackupError(f"{name} was not found: install the PostgreSQL client tools "
                          f"(Debian: postgresql-client) or name the program with "
                          f"REGISTRY_{setting}")
    return path


def _run(setting, name, *arguments):
    command = [_tool(setting, name), *arguments]
    # A fixed program and argument list, no shell.
    completed = subprocess.run(  # noqa: S603
        command, capture_output=True, text=True, env=_environment(), check=False)
    if completed.returncode != 0:
        raise BackupError(f"{name} failed (exit code {completed.returncode}): "
                          f"{_first_error(completed.stderr)}")
    return completed.stdout


def _first_error(stderr):
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    errors = [line for line in lines if "error" in line.lower()]
    return (errors or lines or ["no message"])[0]
