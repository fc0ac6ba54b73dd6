"""Time the REST API's reads, above all the findings list (issue 20: ≤ 150 ms median).

Imports the benchmark registry (`generate.py`, default full size: 5,000 controllers, 300
subcontractors, 50,000 engagements, 3,000 attestations; about 16,000 findings) into a fresh
database, issues a legal user's read token, and prints per request, served in-process by
Flask's test client with `Authorization: Bearer`: the median of 5 warm requests (the shared
assessment snapshot cached, as between changes in production), the median of the first
request after an unrelated write (the engine runs again), and the SQL queries of one warm
request. Target: the findings list ≤ 150 ms median warm, on SQLite and PostgreSQL.

    .venv/bin/python bench/api.py [--backend sqlite|postgresql] [--scale 1.0] [--after-write 3]
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path[:0] = [str(ROOT), str(ROOT.parent)]

from generate import generate  # noqa: E402
from harness import UnrelatedWrite, bench_app, print_page_timings, time_pages  # noqa: E402

from registry.api import tokens  # noqa: E402
from registry.extensions import database  # noqa: E402
from registry.models import Controller, Engagement  # noqa: E402

REQUESTS = (
    ("findings, first page (50)", "/api/v1/findings"),
    ("findings, 200 per page", "/api/v1/findings?limit=200"),
    ("findings, page 40", "/api/v1/findings?cursor={page_40}"),
    ("findings, red in engagements", "/api/v1/findings?severity=red&area=engagements"),
    ("findings of one controller", "/api/v1/findings?controller_id={controller}"),
    ("findings of one subcontractor", "/api/v1/findings?subcontractor_id={subcontractor}"),
    ("controllers, 200 per page", "/api/v1/controllers?limit=200"),
    ("one controller", "/api/v1/controllers/{controller}"),
    ("engagements of a subcontractor", "/api/v1/engagements?subcontractor_id={subcontractor}"),
    ("attestations awaiting review", "/api/v1/attestations?review=pending"),
)


class TokenClient:
    """The app's test client, sending a bearer token with every request."""

    def __init__(self, client, secret):
        self.client = client
        self.headers = {"Authorization": f"Bearer {secret}"}

    def get(self, url):
        return self.client.get(url, headers=self.headers)


def targets():
    """Return REQUESTS with real ids: the busiest controller and subcontractor."""
    from registry.api.pagination import encode

    database.connect(reuse_if_open=True)
    ids = {"controller": Controller.select(Controller.id).order_by(Controller.id).scalar(),
           "subcontractor": Engagement.select(Engagement.subcontractor)
           .order_by(Engagement.id).scalar(),
           "page_40": encode({"at": 40 * 50})}
    return [(name, url.format(**ids)) for name, url in REQUESTS]


def measure(backend, options):
    """Yield (request, warm s, after-write s, queries) for each API request."""
    with bench_app(backend, generate(options.scale)) as (app, _client, user):
        secret = tokens.issue(user, "bench", "read").secret
        client = TokenClient(app.test_client(), secret)
        yield from time_pages(client, targets(), UnrelatedWrite(user), options.after_write)


if __name__ == "__main__":
    print_page_timings(__doc__.splitlines()[0], measure)
