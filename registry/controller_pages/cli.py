"""`dpa-registry controllers share-link` prints (or replaces) a controller's page link;
`controllers send-changes` mails the public page's subscribers."""

import sys

import click
from flask import current_app

from registry.cli import iso_date
from registry.clock import local_today
from registry.controller_pages import links, subscriptions
from registry.extensions import database
from registry.formatting import counted
from registry.models import Controller


@click.group("controllers")
def controllers_group():
    """Controllers' own pages."""


@controllers_group.command("share-link")
@click.option("--controller", "controller_id", type=int, required=True,
              help="The controller's id (as in `check --controller`).")
@click.option("--revoke", is_flag=True,
              help="End the current link and print a new one (the old address stops working).")
def share_link(controller_id, revoke):
    """Print the controller's page link, issuing one if it has none."""
    with database.connection_context():
        controller = Controller.get_or_none(Controller.id == controller_id)
        if controller is None:
            click.secho(f"error: no controller has id {controller_id}", err=True, fg="red")
            sys.exit(2)
        if revoke:
            token = links.issue_link(controller, "cli")
            click.echo(f"The previous link of {controller.name} no longer works.", err=True)
        else:
            token = links.current_token(controller, "cli")
    click.echo(links.page_url(token))


@controllers_group.command("send-changes")
@click.option("--today", callback=iso_date, help="The day to send as of (YYYY-MM-DD).")
def send_changes(today):
    """E-mail the public page's subscribers the changes up to yesterday (once a day each)."""
    with database.connection_context():
        if not current_app.config["PUBLIC_SUBPROCESSORS"]:
            click.echo("The public sub-processor page is off (REGISTRY_PUBLIC_SUBPROCESSORS).")
            return
        mailed = subscriptions.send_changes(today or local_today())
    click.echo(f"{counted(mailed, 'subscriber')} e-mailed.")


commands = [controllers_group]
