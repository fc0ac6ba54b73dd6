"""Time the legal staff's main pages: dashboard, controller list and subcontractor list.

Imports the benchmark registry (`generate.py`, default full size: 5,000 controllers, 300
subcontractors, 50,000 engagements) into a fresh database, signs a legal user in through the
real password and TOTP forms, and prints per page the median server time of 5 requests after a
warm-up (the assessment snapshot is then cached, as in production between changes), the first
request after a change (no cached snapshot), and the SQL query count. Target: ≤ 150 ms median
on SQLite for the dashboard and both lists.

    .venv/bin/python bench/pages.py [--backend sqlite|postgresql] [--scale 1.0]
"""

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path[:0] = [str(ROOT), str(ROOT.parent)]

from generate import generate  # noqa: E402
from harness import backend_url, counting_queries, load, make_app, median_seconds  # noqa: E402

from registry import checks  # noqa: E402
from registry.extensions import database  # noqa: E402
from tests.auth_helpers import login  # noqa: E402
from tests.factories import make_user  # noqa: E402

PAGES = (
    ("dashboard", "/dashboard"),
    ("dashboard, red, one controller", "/dashboard?severity=red&controller=Asiakas 42"),
    ("dashboard, page 20 of findings", "/dashboard?page=20"),
    ("controller list", "/controllers"),
    ("controllers, worst first, red", "/controllers?sort=status&severity=red"),
    ("controllers by worst finding", "/controllers?finding=dpa_clause_missing"),
    ("controllers as CSV", "/controllers/export.csv"),
    ("controller detail", "/controllers/1"),
    ("subcontractor list", "/subcontractors"),
    ("audit trail", "/audit"),
)


def _get(client, url):
    response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")


def _first_request(client, url):
    checks.forget_snapshot()
    started = time.perf_counter()
    _get(client, url)
    return time.perf_counter() - started


def measure(backend, scale):
    """Yield (page, median s, first-request s, queries) for each page."""
    document = generate(scale)
    with backend_url(backend) as url, tempfile.TemporaryDirectory() as instance:
        app = make_app(url, instance)
        app.config.update(TESTING=True, RATELIMIT_ENABLED=False, SECURE_COOKIES=False)
        with app.app_context():
            # Requests close the connection when they end; reopen it for the setup queries.
            database.connect(reuse_if_open=True)
            load(document)
            client = login(app.test_client(), make_user("legal"))
            for name, page in PAGES:
                database.connect(reuse_if_open=True)
                first = _first_request(client, page)
                seconds = median_seconds(lambda page=page: _get(client, page))
                with counting_queries() as counter:
                    _get(client, page)
                yield name, seconds, first, counter.count
            database.close()


def main():
    """Run the benchmark and print one line per backend and page."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], action="append")
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args()
    print(f"{'backend':11} {'page':32} {'median ms':>10} {'first ms':>9} {'queries':>8}")
    for backend in args.backend or ["sqlite", "postgresql"]:
        for name, seconds, first, queries in measure(backend, args.scale):
            print(f"{backend:11} {name:32} {seconds * 1000:10.1f} {first * 1000:9.0f} "
                  f"{queries:8d}")


if __name__ == "__main__":
    main()
