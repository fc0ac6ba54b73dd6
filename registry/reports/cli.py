"""`dpa-registry report ...`: write a PDF report to a file, for any size of registry.

Whole-registry reports beyond the web limit (see `registry.reports.views`) are made here, with
the CLI's longer time and larger memory limits (REPORT_CLI_TIMEOUT_SECONDS, REPORT_CLI_MEMORY_MB).
"""

import io
from pathlib import Path

import click
from pypdf import PdfReader

from registry.checks import UnknownController
from registry.cli import iso_date
from registry.cli_support import fail
from registry.clock import local_today, utc_now
from registry.extensions import database
from registry.files import DiskFull, write_atomically
from registry.reports.data import REPORTS
from registry.reports.limits import ReportError
from registry.reports.render import generate_report


@click.group("report")
def report_group():
    """Write a PDF report: compliance, subprocessors, processing-record, dpa-register,
    incident-register or request-register."""


def _make_command(kind):
    spec = REPORTS[kind]
    scope = "one controller (required)" if spec.needs_controller else "one controller"

    @report_group.command(kind, short_help=f"{spec.title} as PDF.",
                          help=f"Write the {kind} report as PDF. {spec.description}")
    @click.option("--controller", "controller_id", type=int, help=f"Only {scope}, by id.")
    @click.option("--today", callback=iso_date, help="Report as of this date (YYYY-MM-DD).")
    @click.option("-o", "--output", required=True,
                  type=click.Path(dir_okay=False, writable=True, path_type=Path),
                  help="The PDF file to write.")
    def command(controller_id, today, output):
        if spec.needs_controller and controller_id is None:
            fail(f"the {spec.title.lower()} is made for one controller: pass --controller ID")
        with database.connection_context():
            try:
                report = generate_report(kind, today or local_today(), controller_id, "cli",
                                         generated_at=utc_now())
            except UnknownController as error:
                fail(f"{error}")
            except ReportError as error:
                fail(str(error))
        try:
            # Whole or not at all; the mode is the user's usual one (umask), as for any file.
            write_atomically(output, report.pdf, mode=0o666)
        except DiskFull as error:
            fail(str(error))
        except OSError as error:
            fail(f"cannot write {output}: {error.strerror}")
        pages = len(PdfReader(io.BytesIO(report.pdf)).pages)
        click.echo(f"wrote {output} ({pages} page{'s' if pages != 1 else ''}, "
                   f"{len(report.pdf) // 1024} KB)")

    return command


for _kind in REPORTS:
    _make_command(_kind)

commands = [report_group]
