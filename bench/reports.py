"""Time the PDF reports at the benchmark size, on SQLite and PostgreSQL.

Targets: the sub-processor list of one controller ≤ 1 s; the compliance report of one
controller with 100 engagements ≤ 1.5 s; the whole-registry DPA register, generated as the CLI
does (`dpa-registry report dpa-register`, CLI limits), ≤ 60 s.

Each figure is the whole path a user waits for: read the rows, run the engine, build the data,
typeset in the child process. "cold" starts with no cached assessment (the first request after
a change to the registry); "warm" reuses it (`registry.checks` keeps the last one while the
registry's fingerprint is unchanged). Warm and cold figures are medians of 5 runs (1 for the
register). "cpu" is the CPU time of one warm run (building the data in this process, typesetting
measured in this process too): what the wall time approaches on an idle machine, since the
figures on a shared machine depend on what else runs (the load average is printed).

    .venv/bin/python bench/reports.py [--backend sqlite|postgresql] [--scale 1.0]
"""

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import generate  # noqa: E402
from harness import backend_url, load, make_app  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from registry import checks  # noqa: E402
from registry.db import write_transaction  # noqa: E402
from registry.extensions import database  # noqa: E402
from registry.models import CLAUSE_KEYS, Controller, Dpa, Engagement, Subcontractor  # noqa: E402
from registry.reports.data import build_report  # noqa: E402
from registry.reports.pdf import write_pdf  # noqa: E402
from registry.reports.render import generate_report, report_html  # noqa: E402

TODAY = date.today()
MADE_AT = datetime.now(UTC)


def add_large_controller():
    """Add a controller with a DPA and 100 engagements (the generator gives ~10 each)."""
    with write_transaction():
        controller = Controller.create(key="bench-large", name="Suuri Verkkokauppa Oy",
                                       business_id="1572860-0", services=["online store"])
        dpa = Dpa(controller=controller, title="Data processing agreement", status="signed",
                  signed_on=TODAY.replace(year=TODAY.year - 1),
                  subprocessor_authorisation="general")
        dpa.set_clauses(dict.fromkeys(CLAUSE_KEYS, True))
        dpa.save()
        subcontractors = Subcontractor.select(Subcontractor.id).order_by(Subcontractor.id)
        for subcontractor in subcontractors.limit(100):
            Engagement.create(subcontractor=subcontractor, controller=controller,
                              on_list_at_signing=True)
    return controller.id


def timed(function, cold, repeat=5):
    """Return the median seconds of `function()`, clearing the cached assessment when `cold`."""
    timings = []
    for _ in range(repeat):
        if cold:
            checks._cache.clear()
        started = time.perf_counter()
        function()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def cpu_seconds(kind, controller):
    """Return the CPU time of one warm run, typesetting in this process."""
    started = time.process_time()
    write_pdf(report_html(kind, build_report(kind, TODAY, controller, generated_at=MADE_AT)))
    return time.process_time() - started


def measure(backend, scale):
    """Yield (report, cold s, warm s, cpu s, pages) for the three benchmarked reports."""
    document = generate(scale, today=TODAY)
    with backend_url(backend) as url, tempfile.TemporaryDirectory() as instance:
        app = make_app(url, instance)
        with app.app_context(), database.connection_context():
            load(document)
            large = add_large_controller()
            cases = [
                ("sub-processor list, 100 engagements", "subprocessors", large, "web", 5),
                ("compliance, 1 controller, 100 engagements", "compliance", large, "web", 5),
                ("DPA register, whole registry (CLI)", "dpa-register", None, "cli", 1),
            ]
            # The first report starts the forkserver.
            generate_report("subprocessors", TODAY, large, generated_at=MADE_AT)
            for label, kind, controller, context, repeat in cases:
                result = {}

                def run(kind=kind, controller=controller, context=context, result=result):
                    result["pdf"] = generate_report(kind, TODAY, controller, context,
                                                   generated_at=MADE_AT).pdf

                cold = timed(run, cold=True, repeat=repeat)
                warm = timed(run, cold=False, repeat=repeat)
                pages = len(PdfReader(io.BytesIO(result["pdf"])).pages)
                yield label, cold, warm, cpu_seconds(kind, controller), pages


def main():
    """Run the benchmark and print one line per backend and report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], action="append")
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args()
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(f"{'backend':11} {'size':>5} {'report':44} {'cold s':>7} {'warm s':>7} {'cpu s':>6} "
          f"{'pages':>6}")
    for backend in args.backend or ["sqlite", "postgresql"]:
        for label, cold, warm, cpu, pages in measure(backend, args.scale):
            print(f"{backend:11} {args.scale:5.2f} {label:44} {cold:7.2f} {warm:7.2f} {cpu:6.2f} "
                  f"{pages:6d}", flush=True)


if __name__ == "__main__":
    main()
