"""Time alert runs on SQLite and PostgreSQL against a real SMTP server on loopback (aiosmtpd).

Targets: at the benchmark size (bench/generate.py, scale 1.0) a run that finds nothing new
≤ 2 s; a run that sends 1,000 messages ≤ 30 s. Every subcontractor gets a contact address so
that reminders have somewhere to go, and one legal user receives the digests.

"nothing new" is the median of 5 runs after the first run sent everything, each starting with
no cached assessment, as `dpa-registry alerts send` from cron does; "engine" is the part of it
that is the shared snapshot (load every row, assess), the same work as `dpa-registry check`.
"1,000 messages" is one run over a smaller registry (scale 0.05) plus subcontractors each
holding an ISO 27001 certificate that lapses in 30 days: one reminder each, and one digest.

    .venv/bin/python bench/alerts.py [--backend sqlite|postgresql] [--scale 1.0] [--messages 1000]
"""

import argparse
import copy
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import generate  # noqa: E402
from harness import backend_url, load, make_app, median_seconds  # noqa: E402

from registry import checks  # noqa: E402
from registry.alerts import operations  # noqa: E402
from registry.extensions import database  # noqa: E402
from registry.models import Alert, User  # noqa: E402


@contextmanager
def smtp_server():
    """Run aiosmtpd (discarding what it accepts) in its own process on a free port; yield its URL.

    A separate process, as a real mail server is: in-process it would compete for the GIL.
    """
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}",
                               "-c", "aiosmtpd.handlers.Sink"])
    try:
        for _ in range(100):
            with socket.socket() as client:
                if client.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.05)
        yield f"smtp://127.0.0.1:{port}?timeout=30"
    finally:
        server.terminate()
        server.wait(10)


def with_contacts(document):
    """Give every subcontractor a contact address (the generator leaves them empty)."""
    for row in document["subcontractors"]:
        row["contacts"] = [f"security@{row['key']}.example"]
    return document


def with_lapsing_suppliers(document, count, today):
    """Add `count` subcontractors whose ISO 27001 certificate lapses in 30 days."""
    template = document["subcontractors"][0]
    for index in range(count):
        row = copy.deepcopy(template)
        row.update(key=f"lapsing{index:05d}", name=f"Toimittaja {index} Oy", tier="medium",
                   contacts=[f"security@lapsing{index}.example"])
        document["subcontractors"].append(row)
        document["attestations"].append({
            "subcontractor": row["key"], "type": "iso27001", "issuer": "Auditor",
            "reference": f"L-{index}", "scope": "", "standard_version": "2022",
            "issued_on": (today - timedelta(days=1000)).isoformat(),
            "period_start": None, "period_end": None,
            "valid_until": (today + timedelta(days=30)).isoformat(),
            "bridge_letter_until": None, "review": "accepted", "rejection_reason": ""})
    return document


def cold_run():
    """Run `alerts send` as a new process would: no cached assessment."""
    checks.forget_snapshot()
    return operations.send_alerts()


def prepare(app, document, url):
    """Load `document`, add one legal user and point mail at the loopback server."""
    load(document)
    User.create(email="legal@bench.example", role="legal")
    app.config["SMTP_URL"] = url


def nothing_new(backend, scale):
    """Return (first run s, its messages, alert rows, quiet run s, of which the engine s)."""
    document = with_contacts(generate(scale))
    with (smtp_server() as url, backend_url(backend) as db_url,
          tempfile.TemporaryDirectory() as instance):
        app = make_app(db_url, instance)
        with app.app_context(), database.connection_context():
            prepare(app, document, url)
            started = time.perf_counter()
            first = cold_run()
            first_seconds = time.perf_counter() - started
            assert not first.failed and not first.deferred, first.deferred[:3]
            seconds = median_seconds(lambda: _assert_quiet(cold_run()))
            engine = median_seconds(cold_snapshot)
            rows = Alert.select().count()
    return first_seconds, len(first.sent), rows, seconds, engine


def cold_snapshot():
    """Load and assess the registry with no cache: the part of a run that is the shared check."""
    checks.forget_snapshot()
    return checks.current_snapshot()


def _assert_quiet(report):
    assert not (report.sent or report.deferred or report.failed), "a repeated run sent mail"


def thousand_messages(backend, messages):
    """Return (seconds, messages the server accepted) for one run sending about `messages`."""
    today = date.today()
    base = with_contacts(generate(0.05, today=today))
    document = with_lapsing_suppliers(base, messages - 1, today)  # plus the base's reminders
    with (smtp_server() as url, backend_url(backend) as db_url,
          tempfile.TemporaryDirectory() as instance):
        app = make_app(db_url, instance)
        with app.app_context(), database.connection_context():
            prepare(app, document, url)
            started = time.perf_counter()
            report = cold_run()
            seconds = time.perf_counter() - started
            assert not report.failed and not report.deferred, report.deferred[:3]
    return seconds, len(report.sent)


def main():
    """Run both measurements and print one line per backend."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], action="append")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--messages", type=int, default=1000)
    args = parser.parse_args()
    print(f"{'backend':11} {'first run s':>11} {'messages':>8} {'alerts':>7} "
          f"{'nothing new s':>13} {'engine s':>8} | {'send run s':>10} {'messages':>8}")
    for backend in args.backend or ["sqlite", "postgresql"]:
        first, sent, rows, quiet, engine = nothing_new(backend, args.scale)
        seconds, delivered = thousand_messages(backend, args.messages)
        print(f"{backend:11} {first:11.2f} {sent:8d} {rows:7d} {quiet:13.3f} {engine:8.3f} | "
              f"{seconds:10.2f} {delivered:8d}", flush=True)


if __name__ == "__main__":
    main()
