"""Time a full `dpa-registry check` (load every row + run every rule) on SQLite and PostgreSQL.

Prints, per backend, the median time and SQL query count at the full benchmark size and at half
of it, to show that time grows linearly and the query count not at all, and the median time of
the shared snapshot's rebuild after an unrelated write (the last controller renamed through the
app's operation; `registry.checks.current_snapshot`: reload the changed table, reassess
incrementally). Target: ≤ 0.3 s for the full check at the full size on either database.

    .venv/bin/python bench/check.py [--backend sqlite|postgresql] [--scale 1.0]
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import generate  # noqa: E402
from harness import (  # noqa: E402
    UnrelatedWrite,
    backend_url,
    counting_queries,
    load,
    make_app,
    median_seconds,
)

from registry import checks  # noqa: E402
from registry.extensions import database  # noqa: E402


def full_check():
    """Run `check` as the command does in a new process: no cached snapshot."""
    checks.forget_snapshot()
    return checks.run_check()


def rebuild_after_write(write):
    """Return the seconds of the first snapshot after an unrelated write."""
    checks.current_snapshot()
    write()
    started = time.perf_counter()
    checks.current_snapshot()
    return time.perf_counter() - started


def measure(backend, scale):
    """Return (import seconds, check seconds, query count, findings, rebuild after a write
    seconds) for one size."""
    document = generate(scale)
    with backend_url(backend) as url, tempfile.TemporaryDirectory() as instance:
        app = make_app(url, instance)
        with app.app_context(), database.connection_context():
            imported = load(document)
            checks.forget_snapshot()
            with counting_queries() as counter:
                result = checks.run_check()
            seconds = median_seconds(full_check)
            write = UnrelatedWrite()
            rebuild = statistics.median(rebuild_after_write(write) for _ in range(5))
    return imported, seconds, counter.count, len(result.findings), rebuild


def main():
    """Run the benchmark and print one line per backend and size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], action="append")
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args()
    print(f"{'backend':11} {'size':>5} {'import s':>9} {'check s':>8} {'queries':>8} "
          f"{'findings':>8} {'after write s':>13}")
    for backend in args.backend or ["sqlite", "postgresql"]:
        for scale in (args.scale / 2, args.scale):
            imported, seconds, queries, findings, rebuild = measure(backend, scale)
            print(f"{backend:11} {scale:5.2f} {imported:9.2f} {seconds:8.3f} {queries:8d} "
                  f"{findings:8d} {rebuild:13.3f}")


if __name__ == "__main__":
    main()
