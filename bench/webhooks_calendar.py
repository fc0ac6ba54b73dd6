"""Time the calendar feed and the findings watch of the webhooks at the benchmark size.

Per backend, with the assessment cached as in production: a staff feed warm (the text kept per
snapshot) and after an unrelated write (snapshot and text rebuilt), a subcontractor's feed; the
webhooks' first findings pass (records every finding), a pass with nothing changed (the
every-minute case) and a pass after a write that raises one finding.

    .venv/bin/python bench/webhooks_calendar.py [--backend sqlite|postgresql] [--scale 1.0]
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parents[1])]

from generate import generate  # noqa: E402
from harness import UnrelatedWrite, bench_app, get_ok, median_seconds  # noqa: E402

from registry.extensions import database  # noqa: E402


def _seconds(function):
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def _after_writes(write, function, times=3):
    timings = []
    for _ in range(times):
        write()
        timings.append(_seconds(function))
    return statistics.median(timings)


def measure(backend, scale):
    """Print the timings of one backend."""
    from registry.calendar.tokens import create_feed
    from registry.checks import current_snapshot
    from registry.models import Subcontractor
    from registry.webhooks.findings import announce_changes
    from registry.webhooks.models import AnnouncedFinding
    from tests.factories import make_user

    with bench_app(backend, generate(scale)) as (_app, client, user):
        write = UnrelatedWrite(user)
        staff = f"/calendar/{create_feed(user)}.ics"
        company = Subcontractor.select().order_by(Subcontractor.id).first()
        portal_user = make_user("subcontractor", subcontractor=company)
        portal = f"/calendar/{create_feed(portal_user)}.ics"
        events = client.get(staff).data.count(b"BEGIN:VEVENT")
        rows = [
            ("snapshot rebuild after a write", _after_writes(write, current_snapshot)),
            ("staff feed, warm", median_seconds(lambda: get_ok(client, staff))),
            ("staff feed, after a write", _after_writes(write, lambda: get_ok(client, staff))),
            ("subcontractor feed, warm", median_seconds(lambda: get_ok(client, portal))),
        ]
        database.connect(reuse_if_open=True)
        rows.append(("findings watch, first pass", _seconds(announce_changes)))
        announced = AnnouncedFinding.select().count()
        rows.append(("findings watch, nothing changed", median_seconds(announce_changes)))
        rows.append(("findings watch, after a write",
                     _after_writes(write, announce_changes)))
    print(f"{backend} (scale {scale}): {events} events in the staff feed, "
          f"{announced} findings watched")
    for name, seconds in rows:
        print(f"  {name:34} {seconds * 1000:8.1f} ms")


def main():
    """Run the benchmark for each backend asked (default both)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], action="append")
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args()
    for backend in args.backend or ["sqlite", "postgresql"]:
        measure(backend, args.scale)


if __name__ == "__main__":
    main()
