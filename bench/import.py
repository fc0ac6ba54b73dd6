"""Time `dpa-registry import` of a generated registry into an empty database, and re-importing it.

The document is `bench/generate.py`'s (5,000 controllers, 10,000 instructions, 300
subcontractors, 50,000 engagements, 3,000 attestations at scale 1) with a draft of a new DPA
version per controller, so about 10,250 DPAs (5% of the controllers already have two
versions). Each run starts from a freshly migrated database. Prints the median import time, the
time of importing the same document again (every record unchanged), the SQL statements of one
import (a fixed number of lookups plus batches, never one per row) and the export time. Target:
the full-size import in ≤ 30 s on SQLite and on PostgreSQL.

    .venv/bin/python bench/import.py [--backend sqlite|postgresql] [--scale 1.0] [--repeat 3]
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import generate  # noqa: E402
from harness import backend_url, counting_queries, make_app  # noqa: E402

from registry.extensions import database  # noqa: E402
from registry.interchange.exporter import export_document  # noqa: E402
from registry.interchange.importer import import_document  # noqa: E402


def with_second_dpa_versions(document):
    """Add a draft of a new version of every controller's DPA (after its latest version)."""
    latest = {}
    for dpa in document["dpas"]:
        if dpa["version"] > latest.get(dpa["controller"], {"version": 0})["version"]:
            latest[dpa["controller"]] = dpa
    drafts = [dict(dpa, version=dpa["version"] + 1, status="draft", signed_on=None,
                   terminated_on=None, return_or_deletion=None) for dpa in latest.values()]
    return dict(document, dpas=document["dpas"] + drafts)


def timed(function):
    """Return (seconds, result) of one call."""
    started = time.perf_counter()
    result = function()
    return time.perf_counter() - started, result


def one_run(backend, document):
    """Import into a fresh database; return import, re-import and export seconds and queries."""
    with backend_url(backend) as url, tempfile.TemporaryDirectory() as instance:
        app = make_app(url, instance)
        with app.app_context(), database.connection_context():
            with counting_queries() as counter:
                seconds, report = timed(lambda: import_document(document))
            if not report.ok:
                raise SystemExit(f"benchmark data did not import: {report.errors[:5]}")
            again, second = timed(lambda: import_document(document))
            assert not second.changed, "re-importing the same document changed something"
            exported, _ = timed(export_document)
    return seconds, again, exported, counter.count


def main():
    """Run the benchmark and print one line per backend."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], action="append")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    document = with_second_dpa_versions(generate(args.scale))
    sizes = ", ".join(f"{len(rows):,} {name}" for name, rows in document.items()
                      if isinstance(rows, list))
    print(f"document: {sizes}")
    print(f"{'backend':11} {'import s':>9} {'re-import s':>12} {'export s':>9} {'queries':>8}")
    for backend in args.backend or ["sqlite", "postgresql"]:
        runs = [one_run(backend, document) for _ in range(args.repeat)]
        imported, again, exported = (statistics.median(run[i] for run in runs) for i in range(3))
        print(f"{backend:11} {imported:9.2f} {again:12.2f} {exported:9.2f} {runs[0][3]:8d}")


if __name__ == "__main__":
    main()
