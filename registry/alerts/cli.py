"""`dpa-registry alerts send|summary`: the same runs the worker schedules, for cron or by hand.

Exit status: 0 done (or nothing to do), 1 a message failed for good, 75 (EX_TEMPFAIL) the mail
server could not be reached and the alerts wait for the next run, 143 stopped by SIGTERM (what
the run had claimed and not sent is given back at once).
"""

import sys

import click

from registry.alerts import operations
from registry.cli import iso_date, iso_instant
from registry.extensions import database
from registry.sigterm import EX_TEMPFAIL, TERMINATED, Terminated, raising_on_sigterm


def _print_preview(report):
    if not report.planned:
        click.echo("dry run: nothing to send")
        return
    for audience, recipients, keys in report.planned:
        to = ", ".join(recipients) or "nobody (no address: it would fail)"
        click.echo(f"dry run: {audience}: {len(keys)} alert{'s' if len(keys) != 1 else ''} "
                   f"to {to}")
        for key in keys:
            click.echo(f"  {key}")


def _print_report(report):
    for group, recipients, subject in report.sent:
        click.echo(f"sent {group.audience}: \u201c{subject}\u201d to {len(recipients)} "
                   f"recipient{'s' if len(recipients) != 1 else ''}")
    for group, reason in report.deferred:
        click.secho(f"deferred {group.audience} ({len(group.alerts)} alerts), retried later: "
                    f"{reason}", err=True, fg="yellow")
    for group, reason in report.failed:
        click.secho(f"failed {group.audience} ({len(group.alerts)} alerts): {reason}",
                    err=True, fg="red")
    if not (report.sent or report.deferred or report.failed):
        click.echo("nothing new to send")


def _exit_status(report):
    if report.has_failures:
        return 1
    if report.server_unreachable:
        waiting = sum(len(group.alerts) for group, _reason in report.deferred)
        click.echo(f"mail server unreachable: {waiting} alert{'s' if waiting != 1 else ''} "
                   "kept for the next run (exit 75)", err=True)
        return EX_TEMPFAIL
    return 0


def _run(function, today, dry_run, **options):
    try:
        with raising_on_sigterm(), database.connection_context():
            report = function(today=today, dry_run=dry_run, **options)
    except Terminated:
        click.echo("stopped by SIGTERM: the alerts not sent yet wait for the next run", err=True)
        sys.exit(TERMINATED)
    if dry_run:
        _print_preview(report)
        return
    _print_report(report)
    sys.exit(_exit_status(report))


@click.group("alerts")
def alerts_group():
    """Send expiry alerts and the weekly overdue summary by e-mail."""


@alerts_group.command("send")
@click.option("--today", callback=iso_date, help="Plan as of this date (YYYY-MM-DD).")
@click.option("--now", callback=iso_instant,
              help="Judge hour deadlines (incident notices, data-subject requests) at this "
                   "instant (YYYY-MM-DDTHH:MM[:SS]+HH:MM); with --today, at the end of that day.")
@click.option("--dry-run", is_flag=True, help="Show what would be sent; change nothing.")
def send_command(today, now, dry_run):
    """Send the alerts due today; exit 1 when a message failed for good, 75 to retry later."""
    if today is not None and now is not None:
        raise click.UsageError("give --today or --now, not both: --now sets the day as well")
    _run(operations.send_alerts, today, dry_run, now=now)


@alerts_group.command("summary")
@click.option("--today", callback=iso_date, help="Plan as of this date (YYYY-MM-DD).")
@click.option("--dry-run", is_flag=True, help="Show what would be sent; change nothing.")
def summary_command(today, dry_run):
    """Send this week's overdue summary to legal staff (once a week)."""
    _run(operations.send_overdue_summary, today, dry_run)


commands = [alerts_group]
