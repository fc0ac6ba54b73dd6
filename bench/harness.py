"""Shared benchmark plumbing: a migrated database per backend, loaded with a generated registry."""

import argparse
import logging
import os
import secrets
import statistics
import tempfile
import time
from contextlib import contextmanager
from urllib.parse import urlsplit

import psycopg

from registry import create_app, migrate
from registry.extensions import database

POSTGRES_URL = os.environ.get("REGISTRY_BENCH_POSTGRES_URL",
                              "postgresql://postgres@127.0.0.1:5432/test")


class QueryCounter(logging.Handler):
    """Count the SQL statements peewee executes (it logs each at DEBUG)."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.count = 0

    def emit(self, record):
        self.count += 1


@contextmanager
def counting_queries():
    """Yield a QueryCounter attached to peewee's logger for the duration of the block."""
    logger = logging.getLogger("peewee")
    counter, previous = QueryCounter(), logger.level
    logger.addHandler(counter)
    logger.setLevel(logging.DEBUG)
    try:
        yield counter
    finally:
        logger.removeHandler(counter)
        logger.setLevel(previous)


@contextmanager
def backend_url(backend):
    """Yield the URL of an empty database of `backend` ('sqlite' or 'postgresql'), then drop it."""
    if backend == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            yield f"sqlite:///{folder}/bench.sqlite3"
        return
    name = f"registry_bench_{secrets.token_hex(4)}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlsplit(POSTGRES_URL)._replace(path=f"/{name}").geturl()
    finally:
        if not database.is_closed():
            database.close()
        with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def make_app(url, instance):
    """Return an app on `url` with the schema migrated."""
    os.environ["REGISTRY_INSTANCE_PATH"] = instance
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "TOTP_KEY": "bench",
                      "PASSWORD_HASH_PROFILE": "fast"})
    with app.app_context(), database.connection_context():
        migrate.upgrade()
    return app


def load(document):
    """Import a generated document into the bound database; return the seconds it took."""
    from registry.interchange.importer import import_document

    started = time.perf_counter()
    report = import_document(document)
    if not report.ok:
        raise SystemExit(f"benchmark data did not import: {report.errors[:5]}")
    return time.perf_counter() - started


def median_seconds(function, repeat=5):
    """Return the median wall time of `function()` over `repeat` runs (after one warm-up)."""
    function()
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


@contextmanager
def legal_client(backend, document):
    """Yield a signed-in legal user's test client on a fresh `backend` database with `document`.

    The user signs in through the real password and TOTP forms; the body runs in the app's
    context with an open connection (requests close it when they end: reopen before queries).
    """
    from tests.auth_helpers import login
    from tests.factories import make_user

    with backend_url(backend) as url, tempfile.TemporaryDirectory() as instance:
        app = make_app(url, instance)
        app.config.update(TESTING=True, RATELIMIT_ENABLED=False, SECURE_COOKIES=False)
        with app.app_context():
            database.connect(reuse_if_open=True)
            load(document)
            yield login(app.test_client(), make_user("legal"))
            database.close()


def get_ok(client, url):
    """GET `url`; stop the benchmark unless it answers 200."""
    response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")


def time_pages(client, pages):
    """Yield (name, median s, first-request s, SQL queries) for each (name, url) of `pages`.

    The first request follows a change (no cached snapshot: the engine runs); the median is of
    5 requests after a warm-up, with the snapshot cached as in production between changes.
    """
    from registry import checks

    for name, url in pages:
        database.connect(reuse_if_open=True)
        checks.forget_snapshot()
        started = time.perf_counter()
        get_ok(client, url)
        first = time.perf_counter() - started
        seconds = median_seconds(lambda url=url: get_ok(client, url))
        with counting_queries() as counter:
            get_ok(client, url)
        yield name, seconds, first, counter.count


def print_page_timings(description, measure):
    """Parse --backend and --scale, run `measure(backend, scale)`, print a line per page."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], action="append")
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args()
    print(f"{'backend':11} {'page':32} {'median ms':>10} {'first ms':>9} {'queries':>8}")
    for backend in args.backend or ["sqlite", "postgresql"]:
        for name, seconds, first, queries in measure(backend, args.scale):
            print(f"{backend:11} {name:32} {seconds * 1000:10.1f} {first * 1000:9.0f} "
                  f"{queries:8d}")
