"""The alert scheduler of `dpa-registry serve`: the day's alerts in a one-process setup.

Without a `dpa-registry worker` nothing else sends the daily alerts, so serve runs this thread
beside waitress (off with `serve --no-scheduler` or REGISTRY_SERVE_SCHEDULER=0 when a worker
runs). Every few minutes it does what the worker's hourly jobs do: once a day, from
ALERT_HOUR (local time) on, the day's run, with the weekly overdue summary on Mondays; and
every hour the hour-precision alerts. A server started after ALERT_HOUR catches up at once.
The day is claimed first (registry.alerts.runs), so several server processes run it once.
"""

import logging
from datetime import timedelta

from flask import current_app

from registry.alerts import operations, runs
from registry.background import BackgroundThread, running
from registry.clock import local_now, utc_now

log = logging.getLogger(__name__)
SCHEDULER = "alert_scheduler"  # app.extensions key of this process's scheduler thread
INTERVAL_SECONDS = 300
HOURLY = timedelta(hours=1)
MONDAY = 0


def run_due_alerts():
    """Run the day's alerts if ALERT_HOUR has passed and no process has yet; return the
    RunReport, or None when nothing was due."""
    now = local_now()
    if now.hour < current_app.config["ALERT_HOUR"] or runs.day_claimed(now.date()):
        return None
    run = runs.start("serve", scheduled_day=now.date())
    if run is None:  # another process claimed the day between the look and the claim
        return None
    report = operations.send_alerts(run=run)
    log.info("daily alerts: %d registered, %d sent, %d deferred, %d failed", report.registered,
             len(report.sent), len(report.deferred), len(report.failed))
    if now.weekday() == MONDAY:
        operations.send_overdue_summary()
    return report


class AlertScheduler(BackgroundThread):
    """Runs the due alerts of its app every few minutes (the daily run once a day)."""

    name = "alert-scheduler"
    key = SCHEDULER

    def __init__(self, app, interval=INTERVAL_SECONDS):
        super().__init__(app, interval)
        self._last_hourly = None

    def work(self, should_stop):
        """Run the day's alerts when due, else the hour-precision ones once an hour."""
        if run_due_alerts() is not None:
            self._last_hourly = utc_now()
            return
        if should_stop() or (self._last_hourly and utc_now() - self._last_hourly < HOURLY):
            return
        self._last_hourly = utc_now()
        operations.send_hourly_alerts()


def scheduling(app, enabled):
    """Run the scheduler thread while the block runs, when `enabled` (serve's choice)."""
    return running(AlertScheduler, app, enabled)
