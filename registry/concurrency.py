"""Bounded slow work: at most N PDF checks and N report renderings at once per process, and a
few per user, refused at once when full instead of queued.

A queued request holds a server thread while it waits, so eight parallel uploads of one user
could hold every thread and freeze the server (`/healthz` included). Here a request that finds
no free slot is answered immediately: 429 when the same user already has their share running,
503 when the process is busy with other users' work, both with `Retry-After`.
"""

import threading
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass

from flask import current_app, has_request_context, jsonify, render_template, request

from registry.faults import wants_json


@dataclass(frozen=True)
class WorkKind:
    """One kind of slow work: its settings and the words used when it is refused."""

    name: str
    limit_setting: str
    per_user_setting: str
    retry_after: int
    noun: str
    doing: str


PDF_CHECK = WorkKind("pdf_check", "PDF_CHECK_CONCURRENCY", "PDF_CHECKS_PER_USER", 15,
                     "uploaded file", "being checked")
REPORT = WorkKind("report", "REPORT_CONCURRENCY", "REPORTS_PER_USER", 30, "report", "being made")


class Saturated(Exception):
    """No slot was free: `status` is 429 (this user's share is taken) or 503 (the process's)."""

    def __init__(self, kind, status, message):
        super().__init__(message)
        self.kind = kind
        self.status = status
        self.message = message


class WorkGate:
    """Slots for one kind of work in this process: `limit` in all, `per_user` for each user."""

    def __init__(self, kind, limit, per_user):
        self.kind = kind
        self.limit = limit
        self.per_user = per_user
        self._lock = threading.Lock()
        self._running = Counter()

    @contextmanager
    def slot(self, user_key):
        """Hold one slot for `user_key` while the block runs; raise Saturated if none is free."""
        self._take(user_key)
        try:
            yield
        finally:
            with self._lock:
                self._running[user_key] -= 1
                if not self._running[user_key]:
                    del self._running[user_key]

    def running(self):
        """Return how many slots are taken."""
        with self._lock:
            return sum(self._running.values())

    def _take(self, user_key):
        with self._lock:
            if self._running[user_key] >= self.per_user:
                raise Saturated(self.kind, 429, self._own_share_message())
            if sum(self._running.values()) >= self.limit:
                raise Saturated(self.kind, 503, self._busy_message())
            self._running[user_key] += 1

    def _own_share_message(self):
        kind, one = self.kind, self.per_user == 1
        things = f"one {kind.noun}" if one else f"{self.per_user} {kind.noun}s"
        return (f"You already have {things} {kind.doing}, the most at once; wait for "
                f"{'it' if one else 'them'} to finish and try again.")

    def _busy_message(self):
        kind, one = self.kind, self.limit == 1
        things = f"one {kind.noun} of another user is" if one else (
            f"{self.limit} {kind.noun}s of other users are")
        return (f"The server is busy: {things} {kind.doing} already. Please try again in "
                f"{kind.retry_after} seconds.")


_gates_lock = threading.Lock()


def gate(kind):
    """Return this app's WorkGate for `kind`, made from its settings at first use."""
    app = current_app._get_current_object()
    with _gates_lock:
        gates = app.extensions.setdefault("work_gates", {})
        if kind.name not in gates:
            gates[kind.name] = WorkGate(kind, app.config[kind.limit_setting],
                                        app.config[kind.per_user_setting])
        return gates[kind.name]


def user_key():
    """Return who is asking: the signed-in user, else the client's address."""
    from flask_login import current_user

    if current_user.is_authenticated:
        return f"user:{current_user.get_id()}"
    return f"address:{request.remote_addr}"


@contextmanager
def bounded(kind):
    """Run the block in a slot of `kind` when serving a request; elsewhere (CLI, worker) as is."""
    if not has_request_context():
        yield
        return
    with gate(kind).slot(user_key()):
        yield


def refuse(error):
    """Answer a Saturated request at once: the page or JSON, the status and Retry-After."""
    headers = {"Retry-After": str(error.kind.retry_after), "Cache-Control": "no-store"}
    if wants_json():
        body = jsonify(status="busy", reason=error.kind.name, message=error.message,
                       retry_after=error.kind.retry_after)
        return body, error.status, headers
    title = "Too many at once" if error.status == 429 else "Busy: try again shortly"
    page = render_template("errors/error.html", code=error.status, title=title,
                           text=error.message)
    return page, error.status, headers


def init_app(app):
    """Answer Saturated errors from any view with `refuse`."""
    app.register_error_handler(Saturated, refuse)
