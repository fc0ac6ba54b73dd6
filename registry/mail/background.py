"""The delivery thread of `dpa-registry serve`: the outbox delivered in a one-process setup.

With MAIL_DELIVERY=serve (the default) the server process runs this thread beside waitress:
it delivers the outbox when a request queued mail (`outbox.kick`) and every minute anyway (for
retries, and mail queued by the CLI). With MAIL_DELIVERY=worker a `dpa-registry worker`
delivers instead, and serve starts no thread.
"""

import logging
import threading
from contextlib import contextmanager

from registry.extensions import database
from registry.mail import outbox
from registry.mail.delivery import deliver_due

log = logging.getLogger(__name__)
INTERVAL_SECONDS = 60
STOP_TIMEOUT_SECONDS = 10


class BackgroundDelivery:
    """A daemon thread that delivers the outbox of `app` when woken, and every `interval`."""

    def __init__(self, app, interval=INTERVAL_SECONDS):
        self.app = app
        self.interval = interval
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="mail-delivery", daemon=True)

    def start(self):
        """Start the thread and make this process's `outbox.kick()` wake it."""
        self.app.extensions[outbox.DELIVERER] = self
        self._thread.start()
        return self

    def wake(self):
        """Deliver now (the thread runs a pass as soon as it is free)."""
        self._wake.set()

    def stop(self, timeout=None):
        """Stop after the message in flight; what was claimed and not sent is given back."""
        self.app.extensions.pop(outbox.DELIVERER, None)
        self._stopping.set()
        self._wake.set()
        self._thread.join(timeout)

    def _run(self):
        while not self._stopping.is_set():
            self._wake.clear()
            self._deliver()
            self._wake.wait(self.interval)

    def _deliver(self):
        try:
            with self.app.app_context(), database.connection_context():
                report = deliver_due(should_stop=self._stopping.is_set)
        except Exception:  # the database may be down: try again at the next wake-up
            log.exception("mail delivery pass failed")
            return
        if report.sent or report.retried or report.failed:
            log.info("mail: %d sent, %d to retry, %d failed", report.sent, report.retried,
                     report.failed)


@contextmanager
def delivering(app):
    """Run the delivery thread while the block runs, when MAIL_DELIVERY is `serve`."""
    if app.config["MAIL_DELIVERY"] != "serve":
        yield None
        return
    deliverer = BackgroundDelivery(app).start()
    try:
        yield deliverer
    finally:
        deliverer.stop(STOP_TIMEOUT_SECONDS)
