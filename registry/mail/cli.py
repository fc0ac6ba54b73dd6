"""`dpa-registry mail test`: check the mail settings by sending one message."""

import sys

import click
from flask import current_app

from registry.db import redact
from registry.mail import MailError, compose, send


@click.group("mail")
def mail_group():
    """Check the outgoing mail settings."""


@mail_group.command("test")
@click.option("--to", "recipient", required=True, help="Address to send the test message to.")
def mail_test(recipient):
    """Send a test message through SMTP_URL (or into the outbox when it is unset)."""
    url = current_app.config.get("SMTP_URL")
    target = redact(url) if url else f"the outbox {current_app.config['OUTBOX_DIR']}"
    try:
        send(compose([recipient], f"Test message from {current_app.config['REGISTRY_NAME']}",
                     "mail/test_message"))
    except MailError as error:
        click.secho(f"error: not sent via {target}: {error}", err=True, fg="red")
        sys.exit(1)
    click.echo(f"sent a test message to {recipient} via {target}")


commands = [mail_group]
