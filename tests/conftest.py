"""Shared fixtures: an app on a fresh database per test, on SQLite and (when configured) PostgreSQL.

SQLite: the schema is migrated once per session into a template file that each test copies.
PostgreSQL (REGISTRY_TEST_POSTGRES_URL set): each session creates its own randomly named
database, migrates it once, truncates every table but the revision counter before each test
(the truncation bumps it, so no cached assessment outlives its rows) and drops it at the end,
so parallel runs never see each other's rows.
"""

import os
import secrets
import shutil
import threading
from datetime import UTC, datetime
from urllib.parse import urlsplit

import psycopg
import pytest

from registry import create_app, migrate
from registry.clock import FixedClock, use_clock
from registry.extensions import database
from registry.revision import REVISION_TABLE

POSTGRES_URL = os.environ.get("REGISTRY_TEST_POSTGRES_URL")
BACKENDS = ["sqlite"] + (["postgresql"] if POSTGRES_URL else [])


@pytest.fixture(autouse=True, scope="session")
def _clean_environment():
    """Keep the developer's REGISTRY_* settings out of the tests."""
    for name in [name for name in os.environ if name.startswith("REGISTRY_")]:
        if name != "REGISTRY_TEST_POSTGRES_URL":
            del os.environ[name]


# Set when the suite runs under Debian's faketime (`make test-dates`, or by hand on any date).
UNDER_FAKETIME = "FAKETIME" in os.environ
needs_real_timed_waits = pytest.mark.skipif(
    UNDER_FAKETIME, reason="under libfaketime a timed wait meant to expire never does")


@pytest.fixture(autouse=True, scope="session")
def _stop_timers_at_the_end():
    """Cancel leftover threading.Timer threads (Flask-Limiter's memory storage starts them).

    They would end by themselves within 10 ms; under libfaketime their timed wait never ends,
    and a worker would wait for them forever at exit.
    """
    yield
    for thread in threading.enumerate():
        if isinstance(thread, threading.Timer):
            thread.cancel()


def base_config(tmp_path, database_url):
    """Return the configuration every test app starts from."""
    return {
        "DATABASE_URL": database_url,
        "SECRET_KEY": "test-secret-key-" + "x" * 32,
        "TOTP_KEY": "test-totp-key-" + "y" * 32,
        "AUDIT_KEY": "test-audit-key-" + "z" * 32,
        "BASE_URL": "http://registry.test",
        "OUTBOX_DIR": str(tmp_path / "outbox"),
        "PASSWORD_HASH_PROFILE": "fast",
        "SECURE_COOKIES": False,
        "TESTING": True,
        "RATELIMIT_ENABLED": False,
    }


def _migrated(url, tmp_path_factory):
    app = create_app(base_config(tmp_path_factory.mktemp("migrate"), url))
    with app.app_context(), database.connection_context():
        migrate.upgrade()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    """Path of a SQLite file with every migration applied."""
    path = tmp_path_factory.mktemp("template") / "registry.sqlite3"
    _migrated(f"sqlite:///{path}", tmp_path_factory)
    return path


@pytest.fixture(scope="session")
def postgres_database(tmp_path_factory):
    """URL of a private PostgreSQL database for this session, dropped afterwards."""
    if not POSTGRES_URL:
        pytest.skip("REGISTRY_TEST_POSTGRES_URL is not set")
    name = f"registry_test_{secrets.token_hex(6)}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = urlsplit(POSTGRES_URL)._replace(path=f"/{name}").geturl()
    _migrated(url, tmp_path_factory)
    yield url
    database.close() if not database.is_closed() else None
    with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _truncate_all():
    kept = {migrate.HISTORY_TABLE, REVISION_TABLE}
    tables = [t for t in database.get_tables() if t not in kept]
    quoted = ", ".join(f'"{table}"' for table in tables)
    database.execute_sql(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE")


@pytest.fixture(params=BACKENDS)
def database_url(request, tmp_path):
    """A fresh, migrated, empty database for one test."""
    if request.param == "sqlite":
        path = tmp_path / "registry.sqlite3"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    url = request.getfixturevalue("postgres_database")
    return url


@pytest.fixture
def app(database_url, tmp_path, monkeypatch):
    """The app on a fresh database; the test body runs inside an app context and connection."""
    monkeypatch.setenv("REGISTRY_INSTANCE_PATH", str(tmp_path / "instance"))
    application = create_app(base_config(tmp_path, database_url))
    with application.app_context():
        database.connect(reuse_if_open=True)
        if database_url.startswith("postgresql"):
            _truncate_all()
        yield application
        if not database.is_closed():
            database.close()


@pytest.fixture
def clock(app):
    """Stop `app`'s clock at 2026-11-25 10:30 UTC (12:30 in Helsinki); move it with the
    returned FixedClock's `move_to` and `advance`."""
    fixed = FixedClock(datetime(2026, 11, 25, 10, 30, tzinfo=UTC))
    previous = use_clock(app, fixed)
    yield fixed
    use_clock(app, previous)


@pytest.fixture
def client(app):
    """A test client for `app`."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """A CLI runner for `app`'s commands."""
    return app.test_cli_runner()


@pytest.fixture
def outbox(app):
    """A function returning the e-mails written to OUTBOX_DIR so far, oldest first.

    It first delivers the mail outbox's due messages, as the worker would have by then.
    """
    import email
    import email.policy
    from pathlib import Path

    from registry.mail.delivery import deliver_due

    def messages():
        deliver_due()
        folder = Path(app.config["OUTBOX_DIR"])
        paths = sorted(folder.glob("*.eml")) if folder.is_dir() else []
        return [email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
                for path in paths]

    return messages


@pytest.fixture
def make_client(app):
    """A factory of independent test clients (one browser each)."""
    return app.test_client


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium, launched once per test process through Playwright.

    One for every browser test of the process (e2e, accessibility, e-mail width): Playwright's
    sync API runs an event loop in its thread, so a second one started beside it fails.
    """
    from playwright.sync_api import sync_playwright

    from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield launched
        launched.close()
