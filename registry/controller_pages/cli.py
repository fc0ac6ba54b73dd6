"""`dpa-registry controllers share-link`: print (or replace) a controller's page link."""

import sys

import click

from registry.controller_pages import links
from registry.extensions import database
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


commands = [controllers_group]
