"""Time the vendor pages (subcontractor list and CSV, detail, engagements, review queue).

Imports the benchmark registry (`generate.py`, default full size: 300 subcontractors, 50,000
engagements) into a fresh database, signs a legal user in through the real password and TOTP
forms, and prints per page the median server time of 5 requests after a warm-up (the snapshot
of the assessment is then cached, as in production between changes), the median of the first
request after an unrelated write (a controller renamed: the engine runs again), and the SQL
query count. Target: the subcontractor list answers in
≤ 150 ms median on SQLite. Last, it notifies every controller of a new engagement: the request
(which records the notice and queues the e-mails) and the worker's delivery to the outbox.

    .venv/bin/python bench/vendor_pages.py [--backend sqlite|postgresql] [--scale 1.0]
"""

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path[:0] = [str(ROOT), str(ROOT.parent)]

from generate import generate  # noqa: E402
from harness import (  # noqa: E402
    UnrelatedWrite,
    bench_app,
    counting_queries,
    print_page_timings,
    time_pages,
)
from huey.storage import SqliteStorage  # noqa: E402

from registry import tasks  # noqa: E402
from registry.extensions import database  # noqa: E402
from registry.models import Controller, Engagement, Subcontractor  # noqa: E402
from tests.auth_helpers import csrf_token  # noqa: E402
from tests.registry_factories import make_engagement, make_subcontractor  # noqa: E402

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


def _notify_every_controller(client, folder):
    """Yield the request and the worker's time to notify every controller of a new engagement."""
    database.connect(reuse_if_open=True)
    engagement = make_engagement(make_subcontractor(name="Bench Hosting Oy"), None,
                                 on_list_at_signing=False)
    controllers = Controller.select().where(Controller.status == "active").count()
    tasks.huey.storage = SqliteStorage("bench", filename=f"{folder}/queue/huey.sqlite3",
                                       create_tables=False)
    url = f"/engagements/{engagement.id}"
    token = csrf_token(client.get(url).get_data(as_text=True))
    with counting_queries() as counter:
        started = time.perf_counter()
        response = client.post(f"{url}/notify", data={"csrf_token": token})
        request = time.perf_counter() - started
    if response.status_code != 302 or tasks.huey.pending_count() != 1:
        raise SystemExit(f"notify answered {response.status_code}, queue holds "
                         f"{tasks.huey.pending_count()} tasks")
    yield f"notify {controllers} controllers", request, request, counter.count
    database.connect(reuse_if_open=True)
    with counting_queries() as counter:
        started = time.perf_counter()
        tasks.huey.execute(tasks.huey.dequeue())
        worker = time.perf_counter() - started
    if Engagement.get_by_id(engagement.id).notice_sent_at is None:
        raise SystemExit("the worker did not record the delivery")
    yield "  worker: mail them (outbox)", worker, worker, counter.count


def measure(backend, options):
    """Yield (page, warm s, after-write s, queries) for each page, then the notice."""
    with bench_app(backend, generate(options.scale)) as (_app, client, user), \
            tempfile.TemporaryDirectory() as folder:
        yield from time_pages(client, _targets(), UnrelatedWrite(user), options.after_write)
        yield from _notify_every_controller(client, folder)


if __name__ == "__main__":
    print_page_timings(__doc__.splitlines()[0], measure)
