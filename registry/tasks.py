"""Background jobs: the huey instance and the periodic alert runs behind `dpa-registry worker`.

The queue is SqliteHuey in the instance folder by default, RedisHuey when REGISTRY_QUEUE_URL is
redis://. Huey's clock is UTC; the jobs wake every hour and decide by the local time in
REGISTRY_TIMEZONE, so ALERT_HOUR means the same wall-clock hour in summer and in winter,
whatever the server's own time zone.
"""

import logging
import threading
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urlsplit

import click
from flask import current_app, has_app_context
from huey import RedisHuey, SqliteHuey, crontab
from huey.storage import SqliteStorage

from registry import config as configuration
from registry import instance_dir
from registry.extensions import database

log = logging.getLogger(__name__)
MONDAY = 0
_app_lock = threading.Lock()
_worker_app = None


def make_huey(environ=None):
    """Return the huey instance REGISTRY_QUEUE_URL asks for (no file or connection opened)."""
    url = configuration.from_environment(environ).get("QUEUE_URL")
    if url and urlsplit(url).scheme in {"redis", "rediss"}:
        return RedisHuey("dpa-registry", url=url, results=False)
    if not url:
        return _sqlite_huey(instance_dir() / "huey.sqlite3")
    path = urlsplit(url).path  # sqlite:////absolute/path, like REGISTRY_DATABASE_URL
    return _sqlite_huey(Path(unquote(path[1:] if path.startswith("//") else path)))


def _sqlite_huey(path):
    return SqliteHuey("dpa-registry", filename=str(path), results=False, create_tables=False)


huey = make_huey()


def _bind_app(app):
    global _worker_app
    with _app_lock:
        _worker_app = app


def _app():
    global _worker_app
    with _app_lock:
        if _worker_app is None:
            from registry import create_app

            _worker_app = create_app()
        return _worker_app


@contextmanager
def app_context():
    """Run inside the current app (immediate mode, tests) or the worker's own app."""
    if has_app_context():
        yield current_app
        return
    with _app().app_context(), database.connection_context():
        yield current_app


def _log_report(name, report):
    log.info("%s: %d registered, %d sent, %d deferred, %d failed", name, report.registered,
             len(report.sent), len(report.deferred), len(report.failed))


@huey.periodic_task(crontab(minute="0"), name="alerts.daily")
def daily_alerts():
    """At ALERT_HOUR (local) send the day's alerts; every hour send the hour-precision ones
    (incident notices and data-subject requests due within 24 h or overdue) and retry what is
    pending."""
    from registry.alerts import operations
    from registry.clock import local_now

    with app_context():
        if local_now().hour == current_app.config["ALERT_HOUR"]:
            _log_report("daily alerts", operations.send_alerts(source="worker"))
        else:
            _log_report("hourly alerts", operations.send_hourly_alerts())


@huey.periodic_task(crontab(minute="5"), name="alerts.weekly_overdue_summary")
def weekly_overdue_summary():
    """On Mondays at ALERT_HOUR (local) send legal staff the week's overdue summary."""
    from registry.alerts import operations
    from registry.clock import local_now

    with app_context():
        now = local_now()
        if now.weekday() == MONDAY and now.hour == current_app.config["ALERT_HOUR"]:
            _log_report("weekly overdue summary", operations.send_overdue_summary())


@huey.periodic_task(crontab(minute="15"), name="housekeeping.purge")
def hourly_purge():
    """Every hour delete ended or expired sessions and expired pending imports."""
    from registry import housekeeping

    with app_context():
        log.info("%s", housekeeping.purge().summary())


@huey.periodic_task(crontab(minute="25", hour="0"), name="audit.daily_head")
def daily_audit_head():
    """Every day write the audit chain's head into AUDIT_HEAD_DIR (when set), for `audit verify
    --head` to detect a truncated or rewritten log later."""
    from registry import audit

    with app_context():
        folder = current_app.config["AUDIT_HEAD_DIR"]
        if folder:
            log.info("audit head written to %s", audit.write_daily_head(folder))


@huey.periodic_task(crontab(minute="*"), name="mail.deliver_outbox")
def deliver_outbox():
    """Deliver the queued e-mails that are due (every minute, and when a request kicks)."""
    from registry.mail.delivery import deliver_due

    with app_context():
        report = deliver_due()
    if report.sent or report.retried or report.failed:
        log.info("mail: %d sent, %d to retry, %d failed", report.sent, report.retried,
                 report.failed)


def kick_mail_delivery():
    """Ask the worker to deliver the outbox now (after a request queued mail)."""
    prepare_storage(huey)
    deliver_outbox()


@huey.periodic_task(crontab(minute="*"), name="reports.run_jobs")
def run_report_jobs():
    """Make the queued whole-registry reports and sweep old jobs (every minute, and when a
    request kicks). A serve thread may make them too: each job is claimed by one of them."""
    from registry.reports import jobs

    with app_context():
        jobs.sweep()
        finished = jobs.run_queued()
    if finished:
        log.info("reports: %d job(s) finished", finished)


def kick_report_jobs():
    """Ask the worker to make the queued reports now (after a request queued one)."""
    prepare_storage(huey)
    run_report_jobs()


@huey.periodic_task(crontab(minute="*"), name="webhooks.deliver")
def deliver_webhooks():
    """Announce the findings raised and cleared, and deliver the due webhook events (every
    minute, and when a request kicks). A serve thread may do it too: deliveries are claimed."""
    from registry.webhooks.background import one_pass

    with app_context():
        one_pass()


def kick_webhook_delivery():
    """Ask the worker to deliver the webhook outbox now (after a request queued an event)."""
    prepare_storage(huey)
    deliver_webhooks()


def prepare_storage(queue):
    """Create the SQLite queue's folder and tables (Redis and immediate mode need nothing).

    The worker calls it at start, and the web process before it enqueues a task, which may
    happen before any worker ever ran.
    """
    if isinstance(queue.storage, SqliteStorage):
        Path(queue.storage.filename).parent.mkdir(parents=True, exist_ok=True)
        queue.storage.initialize_schema()


@click.command("worker")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 16),
              help="Worker threads.")
def worker_command(workers):
    """Run the huey consumer with the periodic alert jobs (Ctrl+C to stop)."""
    _bind_app(current_app._get_current_object())
    prepare_storage(huey)
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO,
                            format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    click.echo(f"dpa-registry worker: alerts daily at {current_app.config['ALERT_HOUR']:02d}:00 "
               f"{current_app.config['TIMEZONE']}, overdue summary on Mondays (Ctrl+C to stop)")
    huey.create_consumer(workers=workers, periodic=True).run()


commands = [worker_command]
