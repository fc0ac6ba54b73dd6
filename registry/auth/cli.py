"""`dpa-registry users ...`: create accounts (by invitation or with a password), reset MFA,
deactivate. No account exists until an operator creates one: there are no default accounts.
"""

import sys

import click

from registry.auth import accounts, notify
from registry.auth.forms import normalise_email
from registry.cli_support import fail, user_by_email
from registry.db import write_transaction
from registry.extensions import database
from registry.mail import kick
from registry.models import ROLES, Subcontractor
from registry.validation import email_error

CLI_ACTOR = "cli"


def _subcontractor(role, subcontractor_id):
    if role != "subcontractor":
        if subcontractor_id is not None:
            fail("--subcontractor is only for --role subcontractor")
        return None
    if subcontractor_id is None:
        fail("--role subcontractor needs --subcontractor ID")
    subcontractor = Subcontractor.get_or_none(Subcontractor.id == subcontractor_id)
    if subcontractor is None:
        fail(f"no subcontractor with id {subcontractor_id}")
    return subcontractor


def _read_password():
    raw = sys.stdin.readline()
    return raw[:-1] if raw.endswith("\n") else raw


@click.group("users")
def users_group():
    """Manage user accounts."""


@users_group.command("create")
@click.option("--email", required=True, help="The person's e-mail address (their sign-in name).")
@click.option("--role", required=True, type=click.Choice(ROLES))
@click.option("--subcontractor", "subcontractor_id", type=int,
              help="For --role subcontractor: the id of their organisation.")
@click.option("--name", "full_name", default="", help="Full name, shown in the portal.")
@click.option("--password-stdin", is_flag=True,
              help="Read the password from standard input instead of sending an invitation.")
def create_command(email, role, subcontractor_id, full_name, password_stdin):
    """Create an account; print (and e-mail) its invitation link unless --password-stdin."""
    problem = email_error(email)
    if problem:
        fail(problem)
    email = normalise_email(email)
    with database.connection_context():
        subcontractor = _subcontractor(role, subcontractor_id)
        password = _read_password() if password_stdin else None
        try:
            with write_transaction():  # the account and its invitation e-mail commit together
                user, token = accounts.create_user(email, role, subcontractor,
                                                   full_name=full_name, password=password,
                                                   actor=CLI_ACTOR)
                mailed = token is not None and notify.send_invitation(user, token)
        except accounts.AccountError as error:
            fail(str(error))
        if token is None:
            click.echo(f"created {role} {email}; the authenticator app is set up at the first "
                       "sign-in")
            return
        click.echo(f"created {role} {email}; invitation link (single use, valid 72 hours):")
        click.echo(notify.invitation_link(token))
        if mailed:
            kick()
            click.echo(f"the link is also e-mailed to {email} (queued in the outbox; "
                       "`dpa-registry serve`, the worker or `mail deliver` sends it)")
        else:
            click.secho("the invitation e-mail could not be queued; pass the link on yourself",
                        err=True, fg="yellow")


@users_group.command("reset-mfa")
@click.option("--email", required=True)
def reset_mfa_command(email):
    """Remove a user's authenticator and recovery codes; they enrol again at next sign-in."""
    with database.connection_context():
        user = user_by_email(email)
        try:
            with write_transaction():  # the reset and its e-mail commit together
                accounts.reset_mfa(user, CLI_ACTOR)
                notify.send_mfa_reset(user, "an operator on the server")
        except accounts.AccountError as error:
            fail(str(error))
    click.echo(f"authenticator of {user.email} reset; all their sessions ended; they set up a "
               "new one at their next sign-in")


@users_group.command("deactivate")
@click.option("--email", required=True)
def deactivate_command(email):
    """Deactivate an account at once and end its sessions."""
    with database.connection_context():
        user = user_by_email(email)
        if not user.is_active:
            click.echo(f"{user.email} is already deactivated")
            return
        try:
            accounts.deactivate(user, CLI_ACTOR)
        except accounts.AccountError as error:
            fail(str(error))
    click.echo(f"{user.email} deactivated; all their sessions ended")


commands = [users_group]
