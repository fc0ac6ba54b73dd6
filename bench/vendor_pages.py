"""Time the vendor pages (subcontractor list and CSV, detail, engagements, review queue).

Imports the benchmark registry (`generate.py`, default full size: 300 subcontractors, 50,000
engagements) into a fresh database, signs a legal user in through the real password and TOTP
forms, and prints per page the median server time of 5 requests after a warm-up (the snapshot
of the assessment is then cached, as in production between changes), the first request after a
change (no cached snapshot), and the SQL query count. Target: the subcontractor list answers in
≤ 150 ms median on SQLite.

    .venv/bin/python bench/vendor_pages.py [--backend sqlite|postgresql] [--scale 1.0]
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path[:0] = [str(ROOT), str(ROOT.parent)]

from generate import generate  # noqa: E402
from harness import legal_client, print_page_timings, time_pages  # noqa: E402

from registry.extensions import database  # noqa: E402
from registry.models import Engagement, Subcontractor  # noqa: E402

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


def _targets():
    database.connect(reuse_if_open=True)
    busiest = (Engagement.select(Engagement.subcontractor)
               .join(Subcontractor).where(Subcontractor.status == "active")
               .order_by(Engagement.subcontractor).first().subcontractor_id)
    engagement = Engagement.select(Engagement.id).order_by(Engagement.id).first().id
    return [(name, page.format(busiest=busiest, engagement=engagement)) for name, page in PAGES]


def measure(backend, scale):
    """Yield (page, median s, first-request s, queries) for each page."""
    with legal_client(backend, generate(scale)) as client:
        yield from time_pages(client, _targets())


if __name__ == "__main__":
    print_page_timings(__doc__.splitlines()[0], measure)
