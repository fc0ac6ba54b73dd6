"""Time the legal staff's main pages: dashboard, controller list and subcontractor list.

Imports the benchmark registry (`generate.py`, default full size: 5,000 controllers, 300
subcontractors, 50,000 engagements) into a fresh database, signs a legal user in through the
real password and TOTP forms, and prints per page the median server time of 5 requests after a
warm-up (the assessment snapshot is then cached, as in production between changes), the first
request after a change (no cached snapshot), and the SQL query count. Target: ≤ 150 ms median
on SQLite for the dashboard and both lists.

    .venv/bin/python bench/pages.py [--backend sqlite|postgresql] [--scale 1.0]
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path[:0] = [str(ROOT), str(ROOT.parent)]

from generate import generate  # noqa: E402
from harness import legal_client, print_page_timings, time_pages  # noqa: E402

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


def measure(backend, scale):
    """Yield (page, median s, first-request s, queries) for each page."""
    with legal_client(backend, generate(scale)) as client:
        yield from time_pages(client, PAGES)


if __name__ == "__main__":
    print_page_timings(__doc__.splitlines()[0], measure)
