"""Background work a web process does itself when no separate worker runs (one-process setup).

`dpa-registry serve` (and each gunicorn worker) can run a thread beside the server for the mail
outbox and for queued reports. Each is a `BackgroundThread`: it does one pass of its work in the
app's context when a request wakes it (`kick()` in its area finds it under `app.extensions`) and
every `interval` anyway, and it stops after the item in hand.
"""

import logging
import threading
from contextlib import contextmanager

from flask import current_app, g, has_request_context

from registry.extensions import database

log = logging.getLogger(__name__)
INTERVAL_SECONDS = 60
STOP_TIMEOUT_SECONDS = 10


class BackgroundThread:
    """A daemon thread running `work(should_stop)` for `app` when woken, and every `interval`.

    Subclasses name the thread (`name`), the `app.extensions` key a wake-up finds it under
    (`key`), and the work of one pass.
    """

    name = "background"
    key = None

    def __init__(self, app, interval=INTERVAL_SECONDS):
        self.app = app
        self.interval = interval
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)

    def work(self, should_stop):
        """Do one pass; return early once `should_stop()` is true."""
        raise NotImplementedError

    def start(self):
        """Start the thread and let this process's wake-ups find it."""
        self.app.extensions[self.key] = self
        self._thread.start()
        return self

    def wake(self):
        """Run a pass now (as soon as the one in progress is finished)."""
        self._wake.set()

    def stop(self, timeout=None):
        """Stop after the item in hand and wait up to `timeout` seconds for the thread."""
        self.app.extensions.pop(self.key, None)
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
                self.work(self._stopping.is_set)
        except Exception:  # the database may be down: try again at the next wake-up
            log.exception("%s pass failed", self.name)


@contextmanager
def running(thread_class, app, enabled):
    """Run a `thread_class` thread for `app` while the block runs, when `enabled`."""
    if not enabled:
        yield None
        return
    thread = thread_class(app).start()
    try:
        yield thread
    finally:
        thread.stop(STOP_TIMEOUT_SECONDS)


class Wakeup:
    """How a change that queued work gets it done soon: wake this process's background thread
    (found under `app.extensions[key]`), else ask the worker through the queue when `setting`
    says a worker does this work (it also looks every minute, so a queue outage only delays).

    Inside a request the wake-up waits for the request's end, when its transactions have
    committed: woken earlier, the thread would look before the new rows are visible.
    """

    def __init__(self, what, key, setting, ask_worker):
        self.what = what  # for the log: "mail", "webhooks", "reports"
        self.key = key
        self.setting = setting
        self.ask_worker = ask_worker
        self._flag = f"{key}_queued"

    def after_commit(self):
        """Wake the deliverer once the caller's change has committed."""
        if has_request_context():
            setattr(g, self._flag, True)
        elif not database.in_transaction():
            self.now()

    def now(self):
        """Wake the thread or the worker now."""
        thread = current_app.extensions.get(self.key)
        if thread is not None:
            thread.wake()
        elif current_app.config[self.setting] == "worker":
            try:
                self.ask_worker()
            except Exception as error:  # the queue being down must not fail the request
                log.warning("could not ask the worker for %s now (%s); it looks within a minute",
                            self.what, type(error).__name__)

    def init_app(self, app):
        """Wake at the end of every request that queued work."""
        app.teardown_request(self._at_request_end)

    def _at_request_end(self, exception):
        if exception is None and g.pop(self._flag, False):
            self.now()
