"""Alert runs: when the day's alerts were last looked at, and which process runs a scheduled day.

Every daily run (`alerts send`, the worker's, `serve`'s scheduler) leaves an AlertRun row, so
the alerts page and the dashboard can warn admins when none happened for `STALE_AFTER` (alerts
would otherwise stop silently when nothing runs them). The scheduler of `dpa-registry serve`
first claims its day: `scheduled_day` is unique, so of several processes (gunicorn workers,
two servers) exactly one inserts the row and runs that day; the others find it taken. Sending
itself stays exactly-once per alert whoever runs (registry.alerts.operations claims rows).
"""

from datetime import timedelta

from peewee import CharField, IntegerField, IntegrityError

from registry.db import write_transaction
from registry.fields import DateField, DateTimeField
from registry.models import TableModel, utcnow

STALE_AFTER = timedelta(hours=26)
SOURCES = ("command", "worker", "serve")


class AlertRun(TableModel):
    """One daily alert run: when, started by what, and what it sent."""

    started_at = DateTimeField(index=True)
    finished_at = DateTimeField(null=True)
    source = CharField(max_length=10)
    # The local day serve's scheduler claimed for this run (None for the command and worker).
    scheduled_day = DateField(null=True, unique=True)
    sent = IntegerField(default=0)
    deferred = IntegerField(default=0)
    failed = IntegerField(default=0)

    class Meta:
        table_name = "alert_run"


def start(source, scheduled_day=None):
    """Record that a run starts; return its row, or None when `scheduled_day` is taken."""
    try:
        with write_transaction():
            return AlertRun.create(started_at=utcnow(), source=source,
                                   scheduled_day=scheduled_day)
    except IntegrityError:  # another process claimed the day first
        return None


def finish(run, report):
    """Record the end of `run` with the counts of its RunReport."""
    with write_transaction():
        (AlertRun.update(finished_at=utcnow(), sent=len(report.sent),
                         deferred=len(report.deferred), failed=len(report.failed))
         .where(AlertRun.id == run.id).execute())


def day_claimed(day):
    """Tell whether serve's scheduler has claimed (run) `day` already."""
    return AlertRun.select().where(AlertRun.scheduled_day == day).exists()


def last_run_at():
    """Return when the latest daily run started (naive UTC), or None if none ever did."""
    return AlertRun.select(AlertRun.started_at).order_by(AlertRun.started_at.desc()).scalar()


def is_stale():
    """Tell whether no daily run started within STALE_AFTER (or none ever did)."""
    last = last_run_at()
    return last is None or utcnow() - last > STALE_AFTER
