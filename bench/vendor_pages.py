"""Time the vendor pages (subcontractor list and CSV, detail, engagements, review queue).

Imports the benchmark registry (`generate.py`, default full size: 300 subcontractors, 50,000
engagements) into a fresh database, signs a legal user in through the real password and TOTP
forms, and prints per page the median server time of 5 requests after a warm-up (the snapshot
of the assessment is then cached, as in production between changes), the first request after a
change (no cached snapshot), and the SQL query count. Target: the subcontractor list answers in
≤ 150 ms median on SQLite.

    .venv/bin/python bench/vendor_pages.py [--backend sqlite|postgresql] [--scale 1.0]
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
from registry.models import Engagement, Subcontractor  # noqa: E402
from tests.auth_helpers import login  # noqa: E402
from tests.factories import make_user  # noqa: E402

PAGES = (
    ("subcontractor list", "/subcontractors"),
    ("list, worst first, filtered", "/subcontractors?sort=worst&worst=red&status=all"),
    ("list as CSV", "/subcontractors/export.csv?status=all"),
    ("subcontractor detail", "/subcontractors/{busiest}"),
    ("engagements needing attention", "/engagements"),
    ("all engagements, page 50", "/engagements?status=all&page=50"),
    ("engagement detail", "/engagements/{engagement}"),
    ("engage form (every controller)", "/engagements/new/{busiest}"),
    ("review queue", "/review"),
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
            busiest = (Engagement.select(Engagement.subcontractor)
                       .join(Subcontractor).where(Subcontractor.status == "active")
                       .order_by(Engagement.subcontractor).first().subcontractor_id)
            engagement = Engagement.select(Engagement.id).order_by(Engagement.id).first().id
            for name, page in PAGES:
                database.connect(reuse_if_open=True)
                target = page.format(busiest=busiest, engagement=engagement)
                first = _first_request(client, target)
                seconds = median_seconds(lambda target=target: _get(client, target))
                with counting_queries() as counter:
                    _get(client, target)
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
