"""Opening the database named by a URL, and the write transaction that suits it."""

from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

from peewee import PostgresqlDatabase, SqliteDatabase

from registry.config import ConfigError
from registry.extensions import database

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "busy_timeout": 10_000,
    "synchronous": "normal",
    "cache_size": -32_000,
}


def open_database(url):
    """Return an unconnected peewee database for a sqlite:/// or postgresql:// URL."""
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        path = unquote(parts.path[1:] if parts.path.startswith("//") else parts.path)
        path = path or ":memory:"
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        return SqliteDatabase(path, pragmas=SQLITE_PRAGMAS, timeout=10)
    if parts.scheme in {"postgresql", "postgres"}:
        options = dict(parse_qsl(parts.query))
        return PostgresqlDatabase(
            unquote(parts.path.lstrip("/")),
            user=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
            host=parts.hostname,
            port=parts.port,
            prefer_psycopg3=True,
            **options,
        )
    raise ConfigError(f"unsupported database URL scheme {parts.scheme!r}")


def bind(url):
    """Open the database for `url`, point the shared proxy at it and return it."""
    opened = open_database(url)
    database.initialize(opened)
    return opened


def redact(url):
    """Return the URL without its password, for messages and logs."""
    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return parts._replace(netloc=netloc).geturl()
    return url


def is_sqlite(db=None):
    """Tell whether the (bound) database is SQLite."""
    target = db or database.obj
    return isinstance(target, SqliteDatabase)


def write_transaction():
    """Open a write transaction: BEGIN IMMEDIATE on SQLite so writers queue instead of failing."""
    if is_sqlite():
        return database.atomic("IMMEDIATE")
    return database.atomic()
