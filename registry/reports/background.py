"""The report thread of `dpa-registry serve`: queued whole-registry reports made in a
one-process setup.

With REPORT_JOBS=serve (the default) the server process runs this thread beside waitress: it
makes the queued reports one at a time when a request queued one (`jobs.kick`) and looks every
minute anyway. A `dpa-registry worker` makes them as well, whatever the setting (each job is
claimed by one runner); with REPORT_JOBS=worker serve starts no thread and leaves them to the
worker, so web hosts spend no time on them. The typesetting itself runs in a child process
with the command line's limits, so the thread only waits for it.
"""

import logging
import threading
from contextlib import contextmanager

from registry.extensions import database
from registry.reports import jobs

log = logging.getLogger(__name__)
INTERVAL_SECONDS = 60
STOP_TIMEOUT_SECONDS = 10


class ReportThread:
    """A daemon thread that makes the queued reports of `app` when woken, and every `interval`."""

    def __init__(self, app, interval=INTERVAL_SECONDS):
        self.app = app
        self.interval = interval
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="report-jobs", daemon=True)

    def start(self):
        """Start the thread and make this process's `jobs.kick()` wake it."""
        self.app.extensions[jobs.RUNNER] = self
        self._thread.start()
        return self

    def wake(self):
        """Look for queued reports now (as soon as the one being made is finished)."""
        self._wake.set()

    def stop(self, timeout=None):
        """Stop after the report being made; a report cut short is failed by the next sweep."""
        self.app.extensions.pop(jobs.RUNNER, None)
        self._stopping.set()
        self._wake.set()
        self._thread.join(timeout)

    def _run(self):
        while not self._stopping.is_set():
            self._wake.clear()
            self._pass()
            self._wake.wait(self.interval)

    def _pass(self):
        try:
            with self.app.app_context(), database.connection_context():
                jobs.sweep()
                jobs.run_queued(should_stop=self._stopping.is_set)
        except Exception:  # a database outage: try again at the next wake or minute
            log.exception("report jobs pass failed")


@contextmanager
def making_reports(app):
    """Run the report thread while the block runs, when REPORT_JOBS is `serve`."""
    if app.config["REPORT_JOBS"] != "serve":
        yield None
        return
    runner = ReportThread(app).start()
    try:
        yield runner
    finally:
        runner.stop(STOP_TIMEOUT_SECONDS)
