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
    """Count and keep the SQL statements peewee executes (it logs each at DEBUG)."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.statements = []

    @property
    def count(self):
        return len(self.statements)

    def emit(self, record):
        message = record.msg
        self.statements.append(message[0] if isinstance(message, tuple) else message)


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


class UnrelatedWrite:
    """A write that changes no page's subject: rename the last controller, as its edit form does.

    It goes through the app's own operation (`controllers.operations.update_controller`: one
    transaction with its audit event), so the database triggers bump the registry revision and
    the next request of any page finds the cached assessment out of date. Each call alternates
    the name, so every call really changes the row. `timings` keeps the seconds of each write.
    """

    def __init__(self, actor=None):
        self.actor = actor
        self.timings = []

    def __call__(self):
        from registry.controllers.operations import update_controller
        from registry.models import Controller

        database.connect(reuse_if_open=True)
        controller = Controller.select().order_by(Controller.id.desc()).first()
        name = f"Bench Rename {len(self.timings) % 2} Oy"
        if controller.name == name:
            name = f"Bench Rename {(len(self.timings) + 1) % 2} Oy"
        started = time.perf_counter()
        update_controller(controller, {"name": name}, self.actor)
        self.timings.append(time.perf_counter() - started)


@contextmanager
def bench_app(backend, document, alerts=False):
    """Yield (app, client, user): a signed-in legal user's test client on a fresh database.

    `document` is imported through the normal importer; with `alerts`, one alert run (into the
    outbox folder) fills the Alerts page. The user signs in through the real password and TOTP
    forms; the body runs in the app's context with an open connection (requests close it when
    they end: reopen before queries).
    """
    from tests.auth_helpers import login
    from tests.factories import make_user

    with backend_url(backend) as url, tempfile.TemporaryDirectory() as instance:
        app = make_app(url, instance)
        app.config.update(TESTING=True, RATELIMIT_ENABLED=False, SECURE_COOKIES=False)
        with app.app_context():
            database.connect(reuse_if_open=True)
            load(document)
            if alerts:
                from registry.alerts.operations import send_alerts

                send_alerts()
                database.connect(reuse_if_open=True)
            user = make_user("legal")
            yield app, login(app.test_client(), user), user
            database.close()


@contextmanager
def legal_client(backend, document):
    """Yield a signed-in legal user's test client on a fresh `backend` database with `document`."""
    with bench_app(backend, document) as (_app, client, _user):
        yield client


def get_ok(client, url):
    """GET `url`; stop the benchmark unless it answers 200."""
    response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")


def time_pages(client, pages, write=None, after_write=3):
    """Yield (name, warm median s, after-write median s, SQL queries) for each (name, url).

    Warm: the median of 5 requests after a warm-up, with the assessment snapshot cached as in
    production between changes. After write: `write()` (default: forget the cached snapshot, a
    cold start) and then one request, `after_write` times; the median of those requests. The
    queries are those of one warm request.
    """
    from registry import checks

    write = write or checks.forget_snapshot
    for name, url in pages:
        database.connect(reuse_if_open=True)
        seconds = median_seconds(lambda url=url: get_ok(client, url))
        firsts = []
        for _ in range(after_write):
            write()
            started = time.perf_counter()
            get_ok(client, url)
            firsts.append(time.perf_counter() - started)
        get_ok(client, url)
        with counting_queries() as counter:
            get_ok(client, url)
        yield name, seconds, statistics.median(firsts), counter.count


def print_page_timings(description, measure):
    """Parse the options, run `measure(backend, options)`, print a line per page.

    Options: --backend (repeatable; default both), --scale, --after-write (requests timed after
    a write, per page).
    """
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], action="append")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--after-write", type=int, default=3,
                        help="requests timed after an unrelated write, per page (median)")
    options = parser.parse_args()
    print(f"{'backend':11} {'page':36} {'warm ms':>8} {'after write ms':>15} {'queries':>8}",
          flush=True)
    for backend in options.backend or ["sqlite", "postgresql"]:
        for name, seconds, first, queries in measure(backend, options):
            print(f"{backend:11} {name:36} {seconds * 1000:8.1f} {first * 1000:15.0f} "
                  f"{queries:8d}", flush=True)
