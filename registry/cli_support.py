"""What every `dpa-registry` command shares: failing with a clear message, finding an account."""

import sys

import click

from registry.auth.forms import normalise_email
from registry.models import User


def fail(message, status=2):
    """Print `message` as an error on stderr and exit with `status` (2: the input was wrong)."""
    click.secho(f"error: {message}", err=True, fg="red")
    sys.exit(status)


def user_by_email(email):
    """Return the account with `email` (compared as normalised), or fail naming the address."""
    user = User.get_or_none(User.email == normalise_email(email))
    if user is None:
        fail(f"no account for {normalise_email(email)}")
    return user
