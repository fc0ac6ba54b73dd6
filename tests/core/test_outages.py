"""The database goes away: requests get a 503 with Retry-After in bounded time, then recover.

A TCP proxy in front of PostgreSQL is cut (connections refused) and stalled (accepted, never
answered); the app is the real one, its connect and statement timeouts short.
"""

import time
from urllib.parse import urlsplit

import peewee
import pytest

from registry import create_app, migrate
from registry.auth.access import public
from registry.extensions import database
from tests.auth_helpers import login
from tests.conftest import POSTGRES_URL, _truncate_all, base_config
from tests.factories import make_user
from tests.tcpproxy import TcpProxy

needs_postgres = pytest.mark.skipif(
    not POSTGRES_URL,
    reason="the proxy stands in front of PostgreSQL: set REGISTRY_TEST_POSTGRES_URL")

CONNECT_TIMEOUT = 2  # libpq's smallest


@pytest.fixture
def proxy(postgres_database):
    """A proxy in front of this session's PostgreSQL database."""
    target = urlsplit(postgres_database)
    running = TcpProxy(target.hostname, target.port or 5432).start()
    yield running
    running.stop()


@pytest.fixture
def proxied_app(proxy, postgres_database, tmp_path, monkeypatch):
    """The app on the database through the proxy, with short timeouts."""
    monkeypatch.setenv("REGISTRY_INSTANCE_PATH", str(tmp_path / "instance"))
    url = urlsplit(postgres_database)._replace(netloc=f"postgres@127.0.0.1:{proxy.port}")
    config = base_config(tmp_path, url.geturl())
    config.update(DB_CONNECT_TIMEOUT=CONNECT_TIMEOUT, DB_STATEMENT_TIMEOUT=1)
    application = create_app(config)

    @public
    def slow():
        database.execute_sql("SELECT pg_sleep(3)")
        return "done"

    @public
    def stall_then_query():
        database.execute_sql("SELECT 1")  # connected, and the database answers
        proxy.stall()
        database.execute_sql("SELECT 1")
        return "answered"

    application.add_url_rule("/test/slow", view_func=slow)
    application.add_url_rule("/test/stall-mid-request", view_func=stall_then_query)
    with application.app_context():
        with database.connection_context():
            database.execute_sql("SET statement_timeout = 0")  # this connection only
            _truncate_all()
        yield application
        if not database.is_closed():
            database.close()


def timed_get(client, path, **options):
    started = time.monotonic()
    response = client.get(path, **options)
    return response, time.monotonic() - started


def assert_unavailable(response):
    assert response.status_code == 503
    assert int(response.headers["Retry-After"]) > 0
    assert "Temporarily unavailable" in response.get_data(as_text=True)


@needs_postgres
def test_refused_database_gives_503_at_once_and_the_app_recovers(proxied_app, proxy):
    client = proxied_app.test_client()
    assert client.get("/login").status_code == 200
    proxy.cut()
    response, took = timed_get(client, "/login")
    assert_unavailable(response)
    assert took < CONNECT_TIMEOUT
    as_json = client.get("/login", headers={"Accept": "application/json"})
    assert as_json.status_code == 503 and as_json.get_json()["status"] == "unavailable"
    assert as_json.headers["Retry-After"]
    proxy.restore()
    assert client.get("/login").status_code == 200


@needs_postgres
def test_stalled_database_gives_503_within_the_connect_timeout(proxied_app, proxy):
    client = proxied_app.test_client()
    proxy.stall()
    response, took = timed_get(client, "/login")
    assert_unavailable(response)
    assert took < CONNECT_TIMEOUT + 3
    proxy.restore()
    assert client.get("/login").status_code == 200


@needs_postgres
def test_signed_in_user_gets_503_not_500_and_stays_signed_in(proxied_app, proxy):
    # The session is read from the database before any view runs.
    client = proxied_app.test_client()
    with database.connection_context():
        user = make_user(role="legal")
    login(client, user)
    proxy.cut()
    assert_unavailable(client.get("/dashboard"))
    proxy.restore()
    assert client.get("/dashboard").status_code == 200


@needs_postgres
def test_statement_timeout_gives_503(proxied_app):
    response, took = timed_get(proxied_app.test_client(), "/test/slow")
    assert_unavailable(response)
    assert took < 3


@needs_postgres
def test_timeouts_reach_the_driver(proxied_app):
    with database.connection_context():
        (timeout,) = database.execute_sql("SHOW statement_timeout").fetchone()
    assert timeout == "1s"
    assert database.obj.connect_params["connect_timeout"] == CONNECT_TIMEOUT


@needs_postgres
def test_outage_errors_are_peewee_errors(proxied_app, proxy):
    proxy.cut()
    with pytest.raises(peewee.OperationalError):
        database.connect(reuse_if_open=True)


def test_sqlite_waits_for_a_lock_as_long_as_the_busy_timeout(tmp_path, monkeypatch):
    monkeypatch.setenv("REGISTRY_INSTANCE_PATH", str(tmp_path / "instance"))
    config = base_config(tmp_path, f"sqlite:///{tmp_path / 'registry.sqlite3'}")
    application = create_app(dict(config, DB_BUSY_TIMEOUT=3))
    with application.app_context(), database.connection_context():
        (busy_ms,) = database.execute_sql("PRAGMA busy_timeout").fetchone()
    assert busy_ms == 3000


def test_unopenable_sqlite_database_gives_503(tmp_path, monkeypatch):
    monkeypatch.setenv("REGISTRY_INSTANCE_PATH", str(tmp_path / "instance"))
    folder = tmp_path / "not-a-file.sqlite3"
    folder.mkdir()
    application = create_app(base_config(tmp_path, f"sqlite:///{folder}"))
    response = application.test_client().get("/login", headers={"Accept": "application/json"})
    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable", "reason": "database",
                                   "retry_after": 30}


@needs_postgres
def test_readiness_names_the_database_and_liveness_stays_up(proxied_app, proxy):
    client = proxied_app.test_client()
    assert client.get("/readyz").status_code == 200
    proxy.stall()
    response, took = timed_get(client, "/readyz")
    assert response.status_code == 503 and response.get_json()["failed"][0] == "database"
    assert took < CONNECT_TIMEOUT + 3
    assert client.get("/healthz").status_code == 200
    proxy.restore()
    assert client.get("/readyz").status_code == 200


@needs_postgres
def test_an_answer_that_never_comes_mid_request_gives_503_by_the_deadline(proxied_app, proxy):
    # The server's statement_timeout cannot end this one: its answer would never arrive.
    response, took = timed_get(proxied_app.test_client(), "/test/stall-mid-request")
    assert_unavailable(response)
    assert took < 1 + CONNECT_TIMEOUT + 2  # statement + connect timeouts, and some slack
    proxy.restore()
    assert proxied_app.test_client().get("/login").status_code == 200


@needs_postgres
def test_upgrade_lifts_the_statement_timeout_for_its_session(proxied_app):
    with database.connection_context():
        migrate.upgrade()
        (timeout,) = database.execute_sql("SHOW statement_timeout").fetchone()
    assert timeout == "0"
