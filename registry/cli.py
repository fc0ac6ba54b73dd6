"""The `dpa-registry` command line: a Flask CLI group, so `flask --app registry ...` works too.

Each area adds its own commands in `register_commands`; this module holds the generic ones
(database, serve, check). Errors a user can fix end with one line and exit code 2.
"""

import json
import re
import sys
from datetime import date, datetime

import click
from flask import current_app
from flask.cli import FlaskGroup, ScriptInfo
from peewee import OperationalError

from registry.config import ConfigError
from registry.extensions import database


def _create_app():
    from registry import create_app

    return create_app()


def _config_error_exit(error):
    click.secho(f"error: {error}", err=True, fg="red")
    sys.exit(2)


class RegistryGroup(FlaskGroup):
    """A FlaskGroup that turns configuration errors into one line instead of a traceback."""

    def list_commands(self, ctx):
        try:
            ctx.ensure_object(ScriptInfo).load_app()
        except ConfigError as error:
            _config_error_exit(error)
        return super().list_commands(ctx)

    def main(self, *args, **kwargs):
        try:
            return super().main(*args, **kwargs)
        except ConfigError as error:
            _config_error_exit(error)
        except OperationalError as error:
            reason = str(error).strip().splitlines()[0] if str(error).strip() else "unreachable"
            _config_error_exit(f"cannot use the database: {reason}")


main = RegistryGroup(
    create_app=_create_app,
    add_default_commands=False,
    add_version_option=False,
    load_dotenv=False,
    help="Prove that a GDPR processor's DPAs and sub-processors are in order.",
)
# The app is always registry's: drop FlaskGroup's --app, --env-file and --debug options.
main.params = [param for param in main.params if param.name not in {"app", "env_file", "debug"}]


def register_commands(app):
    """Attach every command to the app's CLI: the generic ones here, then each area's."""
    import importlib

    for command in (db_group, check_command, serve_command):
        app.cli.add_command(command)
    for module_name in AREA_COMMAND_MODULES:
        for command in importlib.import_module(module_name).commands:
            app.cli.add_command(command)


# Modules that expose a `commands` list of click commands.
AREA_COMMAND_MODULES = (
    "registry.demo",
    "registry.auth.cli",
    "registry.audit",
    "registry.mail.cli",
    "registry.alerts.cli",
    "registry.controller_pages.cli",
    "registry.tasks",
    "registry.reports.cli",
    "registry.interchange.cli",
    "registry.housekeeping",
    "registry.backup.cli",
    "registry.api.cli",
)


def iso_date(_context, _parameter, value):
    """Parse a YYYY-MM-DD option (click callback)."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date in the form YYYY-MM-DD") from None


# YYYY-MM-DDTHH:MM[:SS]±HH:MM (or Z): an instant, never a wall-clock time without its offset.
INSTANT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?([+-]\d{2}:\d{2}|Z)")


def iso_instant(_context, _parameter, value):
    """Parse a YYYY-MM-DDTHH:MM[:SS]±HH:MM option (click callback) into an aware datetime."""
    if value is None:
        return None
    try:
        if not INSTANT.fullmatch(value):
            raise ValueError(value)
        return datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not an instant in the form YYYY-MM-DDTHH:MM[:SS]+HH:MM "
            "(the UTC offset is required, e.g. 2027-03-28T09:00+03:00)") from None


@click.group("db")
def db_group():
    """Create or upgrade the database schema."""


@db_group.command("upgrade")
def db_upgrade():
    """Apply pending migrations (safe to run again)."""
    from registry import migrate
    from registry.seed import ensure_reference_data

    with database.connection_context():
        applied = migrate.upgrade()
        ensure_reference_data()
    if applied:
        for name in applied:
            click.echo(f"applied {name}")
    else:
        click.echo("database is up to date")


@db_group.command("status")
def db_status():
    """List applied and pending migrations."""
    from registry import migrate

    with database.connection_context():
        rows = migrate.status()
    for name, applied_at in rows:
        state = f"applied {applied_at:%Y-%m-%d %H:%M}" if applied_at else "pending"
        click.echo(f"{name:40} {state}")
    if any(applied_at is None for _, applied_at in rows):
        click.echo("run `dpa-registry db upgrade` to apply pending migrations")


@click.command("check")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@click.option("--today", callback=iso_date,
              help="Evaluate as of this date (YYYY-MM-DD); hour deadlines at its end.")
@click.option("--now", callback=iso_instant,
              help="Evaluate at this instant (YYYY-MM-DDTHH:MM[:SS]+HH:MM): hour deadlines "
                   "such as incident notices at it, day rules on its date in the time zone.")
@click.option("--controller", "controller_id", type=int, help="Only this controller's findings.")
def check_command(output_format, today, now, controller_id):
    """Print compliance findings; exit 1 when any finding is red."""
    from registry import checks

    if today is not None and now is not None:
        raise click.UsageError("give --today or --now, not both: --now sets the day as well")
    with database.connection_context():
        try:
            result = checks.run_check(today=today, controller_id=controller_id, now=now)
        except checks.UnknownController as error:
            raise click.UsageError(str(error)) from None
    if output_format == "json":
        click.echo(json.dumps(checks.as_json(result), indent=2, ensure_ascii=False))
    else:
        checks.print_text(result, echo=click.echo, style=click.style)
    sys.exit(1 if result.has_red else 0)


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535),
              envvar="PORT", help="Port to listen on (or the PORT environment variable).")
@click.option("--threads", default=8, show_default=True, type=click.IntRange(1, 256))
@click.option("--no-scheduler", is_flag=True,
              help="Do not send the daily alerts from this process (a `dpa-registry worker` "
                   "does; also REGISTRY_SERVE_SCHEDULER=0).")
def serve_command(host, port, threads, no_scheduler):
    """Serve the portal with waitress (production-grade, one process).

    Beside the server it delivers queued mail and webhooks, makes queued reports and, unless
    told not to, sends the daily alerts at ALERT_HOUR (registry/alerts/scheduler.py).

    Behind REGISTRY_PROXY_HOPS reverse proxies the app's ProxyFix reads the X-Forwarded-*
    headers, so waitress must pass them on: by default it drops them from a peer it was not
    told to trust, and every user would share the proxy's address (one sign-in limit for all).
    Without proxies waitress keeps dropping them, so that no client can claim another address.
    """
    from waitress import serve

    from registry.alerts.scheduler import scheduling
    from registry.mail.background import delivering
    from registry.reports.background import making_reports
    from registry.webhooks.background import delivering_webhooks

    app = current_app._get_current_object()
    scheduler = app.config["SERVE_SCHEDULER"] and not no_scheduler
    click.echo(f"serving dpa-registry on http://{host}:{port}/ (Ctrl+C to stop)")
    click.echo(f"daily alerts at {app.config['ALERT_HOUR']:02d}:00 {app.config['TIMEZONE']}"
               if scheduler else "daily alerts: not sent by this process (--no-scheduler)")
    # The mail outbox, queued reports and webhooks, unless REGISTRY_MAIL_DELIVERY / REPORT_JOBS /
    # WEBHOOK_DELIVERY=worker.
    with delivering(app), making_reports(app), scheduling(app, scheduler), \
            delivering_webhooks(app):
        serve(app, host=host, port=port, threads=threads, ident="dpa-registry",
              clear_untrusted_proxy_headers=not app.config["PROXY_HOPS"])
