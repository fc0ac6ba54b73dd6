"""Opening the database named by a URL, and the write transaction that suits it."""

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

from peewee import PostgresqlDatabase, SqliteDatabase

from registry.config import ConfigError
from registry.deadline import StatementWatchdog
from registry.extensions import database

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "synchronous": "normal",
    "cache_size": -32_000,
}


@dataclass(frozen=True)
class Timeouts:
    """How long (seconds) to wait for the database before a request gives up with a 503.

    `connect` bounds opening a PostgreSQL connection, `statement` one PostgreSQL statement
    (enforced by the server; in a web request also by registry.deadline, which gives up on an
    answer `statement + connect` seconds late), `busy` how long SQLite waits for a writer's lock.
    """

    connect: int = 5
    statement: int = 30
    busy: int = 10

    @classmethod
    def from_config(cls, config):
        """Return the timeouts the DB_*_TIMEOUT settings of `config` name."""
        return cls(config["DB_CONNECT_TIMEOUT"], config["DB_STATEMENT_TIMEOUT"],
                   config["DB_BUSY_TIMEOUT"])


def _postgres_options(query, timeouts):
    options = {"connect_timeout": timeouts.connect}
    options.update(parse_qsl(query))
    # The URL may carry its own server options: add the statement timeout to them.
    statement = f"-c statement_timeout={timeouts.statement * 1000}"
    options["options"] = f"{options.get('options', '')} {statement}".strip()
    return options


class PostgresqlWithDeadline(PostgresqlDatabase):
    """PostgreSQL whose statements in a web request end by `deadline` seconds, answer or not."""

    def __init__(self, database, deadline, **options):
        self.cursor_class = StatementWatchdog(deadline).cursor_class()
        super().__init__(database, **options)

    def _connect(self):
        connection = super()._connect()
        connection.cursor_factory = self.cursor_class
        return connection


def open_database(url, timeouts=Timeouts()):
    """Return an unconnected peewee database for a sqlite:/// or postgresql:// URL."""
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        path = unquote(parts.path[1:] if parts.path.startswith("//") else parts.path)
        path = path or ":memory:"
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        pragmas = {**SQLITE_PRAGMAS, "busy_timeout": timeouts.busy * 1000}
        return SqliteDatabase(path, pragmas=pragmas, timeout=timeouts.busy)
    if parts.scheme in {"postgresql", "postgres"}:
        options = _postgres_options(parts.query, timeouts)
        return PostgresqlWithDeadline(
            unquote(parts.path.lstrip("/")),
            deadline=timeouts.statement + timeouts.connect,
            user=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
            host=parts.hostname,
            port=parts.port,
            prefer_psycopg3=True,
            **options,
        )
    raise ConfigError(f"unsupported database URL scheme {parts.scheme!r}")


def bind(url, timeouts=Timeouts()):
    """Open the database for `url`, point the shared proxy at it and return it."""
    opened = open_database(url, timeouts)
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


OWN_CONNECTION_ATTRIBUTE = "registry_own_connection"


def own_connection(view):
    """Mark a view that opens the database itself, if at all (health checks), not per request."""
    setattr(view, OWN_CONNECTION_ATTRIBUTE, True)
    return view


def opens_own_connection(view):
    """Tell whether `view` was marked with `own_connection`."""
    return getattr(view, OWN_CONNECTION_ATTRIBUTE, False)
