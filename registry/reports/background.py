"""The report thread of `dpa-registry serve`: queued whole-registry reports made in a
one-process setup.

With REPORT_JOBS=serve (the default) the server process runs this thread beside waitress: it
makes the queued reports one at a time when a request queued one (`jobs.kick`) and looks every
minute anyway. A `dpa-registry worker` makes them as well, whatever the setting (each job is
claimed by one runner); with REPORT_JOBS=worker serve starts no thread and leaves them to the
worker, so web hosts spend no time on them. The typesetting itself runs in a child process
with the command line's limits, so the thread only waits for it; a report cut short when the
thread stops is failed by the next sweep.
"""

from registry.background import BackgroundThread, running
from registry.reports import jobs


class ReportThread(BackgroundThread):
    """Makes the queued reports of its app when woken, and every minute."""

    name = "report-jobs"
    key = jobs.RUNNER

    def work(self, should_stop):
        """Fail the reports whose maker died, then make the queued ones one at a time."""
        jobs.sweep()
        jobs.run_queued(should_stop=should_stop)


def making_reports(app):
    """Run the report thread while the block runs, when REPORT_JOBS is `serve`."""
    return running(ReportThread, app, app.config["REPORT_JOBS"] == "serve")
