"""Time every main page: the legal staff's pages and a subcontractor's portal pages.

Imports the benchmark registry (`generate.py`, default full size: 5,000 controllers, 300
subcontractors, 50,000 engagements, 3,000 attestations of which some await review) into a fresh
database, runs the alerts once (so the Alerts page has rows), signs a legal user in through the
real password and TOTP forms, and prints per page, served in-process by Flask's test client:

- warm: the median server time of 5 requests after a warm-up (the assessment snapshot cached,
  as in production between changes);
- after write: the median over `--after-write` runs of the first request after an unrelated
  write (another controller renamed through the app's own operation: the registry revision
  moves, so the page finds its cached assessment out of date);
- the SQL queries of one warm request.

Then a subcontractor user of the company s0000 (with an upload awaiting review and a rejected
one) signs in the same way and its portal pages are timed alike. Targets (issue 14): every page
≤ 150 ms median warm and after an unrelated write, on SQLite and on PostgreSQL.

    .venv/bin/python bench/pages.py [--backend sqlite|postgresql] [--scale 1.0] [--after-write 3]
"""

import sys
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path[:0] = [str(ROOT), str(ROOT.parent)]

from generate import generate  # noqa: E402
from harness import UnrelatedWrite, bench_app, print_page_timings, time_pages  # noqa: E402
from peewee import fn  # noqa: E402

from registry.clock import local_today  # noqa: E402
from registry.extensions import database  # noqa: E402
from registry.models import (  # noqa: E402
    Attestation,
    Controller,
    Dpa,
    Engagement,
    Instruction,
    Subcontractor,
)

STAFF_PAGES = (
    ("home", "/home"),
    ("dashboard", "/dashboard"),
    ("dashboard, red, one controller", "/dashboard?severity=red&controller=Asiakas 42"),
    ("dashboard, page 20 of findings", "/dashboard?page=20"),
    ("controller list", "/controllers"),
    ("controllers, worst first, red", "/controllers?sort=status&severity=red"),
    ("controllers by worst finding", "/controllers?finding=dpa_clause_missing"),
    ("controllers as CSV", "/controllers/export.csv"),
    ("controller detail (busiest)", "/controllers/{controller}"),
    ("DPA detail", "/dpas/{dpa}"),
    ("instruction detail", "/instructions/{instruction}"),
    ("subcontractor list", "/subcontractors"),
    ("subcontractors, worst first, red", "/subcontractors?sort=worst&worst=red&status=all"),
    ("subcontractor detail (busiest)", "/subcontractors/{subcontractor}"),
    ("engagements needing attention", "/engagements"),
    ("all engagements, page 50", "/engagements?status=all&page=50"),
    ("engagement detail (objected)", "/engagements/{engagement}"),
    ("review queue", "/review"),
    ("alerts", "/alerts/"),
    ("audit trail", "/audit"),
    ("reports", "/reports"),
    ("requirements", "/reference/requirements"),
)

PORTAL_PAGES = (
    ("portal: home", "/portal/"),
    ("portal: uploads", "/portal/attestations"),
    ("portal: choose upload type", "/portal/attestations/new"),
    ("portal: upload form", "/portal/attestations/new?type={type}"),
    ("portal: validity preview", "/portal/attestations/validity?type={type}&{dates}"),
    ("portal: contacts", "/portal/contacts"),
)


def _busiest(column):
    return (Engagement.select(column).group_by(column)
            .order_by(fn.COUNT(Engagement.id).desc(), column).scalar())


def staff_targets():
    """Return STAFF_PAGES with real ids: the busiest controller and subcontractor, and so on."""
    database.connect(reuse_if_open=True)
    controller = _busiest(Engagement.controller)
    ids = {
        "controller": controller,
        "subcontractor": _busiest(Engagement.subcontractor),
        "dpa": Dpa.select(Dpa.id).where(Dpa.controller == controller)
        .order_by(Dpa.version.desc()).scalar(),
        "instruction": Instruction.select(Instruction.id).order_by(Instruction.id.desc()).scalar(),
        "engagement": Engagement.select(Engagement.id).where(Engagement.objected_on.is_null(False))
        .order_by(Engagement.id).scalar() or Engagement.select(Engagement.id).scalar(),
    }
    return [(name, url.format(**ids)) for name, url in STAFF_PAGES]


def portal_targets(subcontractor):
    """Return PORTAL_PAGES for `subcontractor`, previewing the type of its pending upload."""
    database.connect(reuse_if_open=True)
    pending = (Attestation.select().where((Attestation.subcontractor == subcontractor)
                                          & (Attestation.review == "pending"))
               .order_by(Attestation.id).first())
    kind = pending.attestation_type
    day = local_today() - timedelta(days=30)
    if kind.validity_basis == "period_end":
        dates = f"period_start={day - timedelta(days=365)}&period_end={day}&issued_on={day}"
    else:
        dates = f"issued_on={day}"
    return [(name, url.format(type=kind.code, dates=dates)) for name, url in PORTAL_PAGES]


def portal_client(app):
    """Sign a user of the company s0000 in through the real forms; return (client, company)."""
    from tests.auth_helpers import login
    from tests.factories import make_user

    database.connect(reuse_if_open=True)
    company = Subcontractor.get(Subcontractor.key == "s0000")
    return login(app.test_client(), make_user("subcontractor", subcontractor=company)), company


def measure(backend, options):
    """Yield (page, warm s, after-write s, queries) for each staff page, then each portal page."""
    with bench_app(backend, generate(options.scale), alerts=True) as (app, client, user):
        write = UnrelatedWrite(user)
        yield from time_pages(client, staff_targets(), write, options.after_write)
        portal, company = portal_client(app)
        yield from time_pages(portal, portal_targets(company), write, options.after_write)
        database.connect(reuse_if_open=True)
        renamed = Controller.select().order_by(Controller.id.desc()).first().name
        seconds = sorted(write.timings)[len(write.timings) // 2]
        yield f"(the write itself, {renamed[:14]})", seconds, seconds, 0


if __name__ == "__main__":
    print_page_timings(__doc__.splitlines()[0], measure)
