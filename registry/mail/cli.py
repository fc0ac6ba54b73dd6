"""`dpa-registry mail test|deliver|status`: check the settings, deliver the outbox, watch it.

`mail deliver` exits 0 when done (or nothing was due), 75 (EX_TEMPFAIL) when the mail server
could not be reached and messages wait for the next pass, 143 when stopped by SIGTERM (what the
pass had claimed and not sent is given back at once). `mail test` sends directly, not through
the outbox: it is a diagnostic of the settings, run by hand.
"""

import json
import sys

import click
from flask import current_app
from flask_babel import lazy_gettext as _l

from registry.db import redact
from registry.extensions import database
from registry.mail import MailError, compose, outbox, send
from registry.mail.delivery import deliver_due
from registry.sigterm import EX_TEMPFAIL, TERMINATED, Terminated, raising_on_sigterm


@click.group("mail")
def mail_group():
    """Deliver the mail outbox, show its state, or check the mail settings."""


@mail_group.command("test")
@click.option("--to", "recipient", required=True, help="Address to send the test message to.")
def mail_test(recipient):
    """Send a test message through SMTP_URL (or into the outbox when it is unset)."""
    url = current_app.config.get("SMTP_URL")
    target = redact(url) if url else f"the outbox {current_app.config['OUTBOX_DIR']}"
    try:
        send(compose([recipient], _l("Test message"),
                     "mail/test_message"))
    except MailError as error:
        click.secho(f"error: not sent via {target}: {error}", err=True, fg="red")
        sys.exit(1)
    click.echo(f"sent a test message to {recipient} via {target}")


@mail_group.command("deliver")
def deliver_command():
    """Deliver the queued e-mails that are due; exit 75 when the mail server is unreachable."""
    try:
        with raising_on_sigterm(), database.connection_context():
            report = deliver_due()
            waiting = outbox.status_counts()["queued"]
    except Terminated:
        click.echo("stopped by SIGTERM: the e-mails not sent yet wait for the next pass",
                   err=True)
        sys.exit(TERMINATED)
    click.echo(f"{report.sent} sent, {report.retried} to retry later, {report.failed} failed; "
               f"{waiting} queued")
    if report.server_unreachable:
        click.echo(f"mail server unreachable: {waiting} e-mail{'s' if waiting != 1 else ''} "
                   "kept for the next pass (exit 75)", err=True)
        sys.exit(EX_TEMPFAIL)


@mail_group.command("status")
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
def status_command(output):
    """Print the outbox's counts by status and the age of the oldest queued e-mail."""
    with database.connection_context():
        counts, oldest = outbox.status_counts(), outbox.oldest_queued_age()
    age = int(oldest.total_seconds()) if oldest is not None else None
    if output == "json":
        click.echo(json.dumps({**counts, "oldest_queued_seconds": age}))
        return
    click.echo(" ".join(f"{status} {count}" for status, count in counts.items()))
    click.echo(f"oldest queued: {age} s ago" if age is not None else "oldest queued: none")


commands = [mail_group]
