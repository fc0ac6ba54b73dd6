"""`dpa-registry tokens ...`: issue, list and revoke personal API tokens from the command line."""


import click

from registry.api import tokens
from registry.api.models import TOKEN_SCOPES, ApiToken
from registry.cli_support import fail, user_by_email
from registry.extensions import database
from registry.models import User, utcnow

CLI_ACTOR = "cli"


def _state(row, now):
    if row.revoked_at is not None:
        return "revoked"
    return "expired" if row.expires_at <= now else "active"


@click.group("tokens")
def tokens_group():
    """Manage personal API tokens."""


@tokens_group.command("create")
@click.option("--email", required=True, help="The account the token acts as.")
@click.option("--name", required=True, help="What uses the token, e.g. 'nightly export'.")
@click.option("--scope", type=click.Choice(TOKEN_SCOPES), default="read", show_default=True,
              help="read, or write (admin and legal accounts only).")
@click.option("--expires-days", type=int, default=tokens.DEFAULT_DAYS, show_default=True,
              help=f"Days until it expires (1 to {tokens.MAX_DAYS}).")
def create_token(email, name, scope, expires_days):
    """Create a token and print it (once: only its hash is stored)."""
    with database.connection_context():
        user = user_by_email(email)
        try:
            issued = tokens.issue(user, name, scope, expires_days, actor=CLI_ACTOR)
        except tokens.TokenError as error:
            fail(str(error))
    click.echo(issued.secret)
    click.echo(f"token {issued.row.prefix} ({scope}) for {user.email}, expires "
               f"{issued.row.expires_at:%Y-%m-%d %H:%M} UTC; it is not shown again", err=True)


@tokens_group.command("list")
@click.option("--email", help="Only this account's tokens.")
def list_tokens(email):
    """List tokens: prefix, owner, name, scope, state, expiry, last use."""
    with database.connection_context():
        query = ApiToken.select(ApiToken, User).join(User).order_by(ApiToken.id)
        if email:
            query = query.where(ApiToken.user == user_by_email(email))
        now = utcnow()
        for row in query:
            used = (f"{row.last_used_at:%Y-%m-%d %H:%M} from {row.last_used_ip}"
                    if row.last_used_at else "never used")
            click.echo(f"{row.prefix}  {row.user.email:30} {row.name[:30]:30} {row.scope:5} "
                       f"{_state(row, now):7} expires {row.expires_at:%Y-%m-%d}  {used}")


@tokens_group.command("revoke")
@click.argument("prefix")
def revoke_token(prefix):
    """Revoke the token with PREFIX (as `tokens list` shows it)."""
    with database.connection_context():
        row = ApiToken.get_or_none(ApiToken.prefix == prefix.removeprefix("dpa_").split("_")[0])
        if row is None:
            fail(f"no token with prefix {prefix}")
        if tokens.revoke(row, CLI_ACTOR):
            click.echo(f"token {row.prefix} of {row.user.email} revoked")
        else:
            click.echo(f"token {row.prefix} was revoked already")


commands = [tokens_group]
