"""A client-side deadline for PostgreSQL statements in web requests.

The server's statement_timeout ends a slow statement, but it cannot help when the answer never
arrives: a hung proxy or pooler, or a host that went silent with the socket still open. Then
psycopg would wait for ever. The watchdog cuts such a statement's socket once its deadline
passes, so the statement fails like a lost connection and the request answers 503.
"""

import os
import socket
import threading
import time
from contextlib import contextmanager

import psycopg
from flask import has_request_context

CHECK_EVERY_SECONDS = 0.25


class StatementWatchdog:
    """Cut the connection of a statement still unanswered `limit` seconds after it started."""

    def __init__(self, limit):
        self.limit = limit
        self.watched = {}
        self.lock = threading.Lock()
        self.thread = None

    @contextmanager
    def watch(self, fileno):
        """Watch the socket `fileno` while the body runs."""
        token = object()
        with self.lock:
            self.watched[token] = (time.monotonic() + self.limit, fileno)
            if self.thread is None:
                self.thread = threading.Thread(target=self._patrol, daemon=True,
                                               name="statement-watchdog")
                self.thread.start()
        try:
            yield
        finally:
            with self.lock:
                self.watched.pop(token, None)

    def _patrol(self):
        while True:
            time.sleep(CHECK_EVERY_SECONDS)
            now = time.monotonic()
            # Under the lock: a watched statement cannot end, nor its socket close and its
            # number be reused, while its socket is being cut.
            with self.lock:
                for token, (deadline, fileno) in list(self.watched.items()):
                    if deadline <= now:
                        del self.watched[token]
                        _cut(fileno)

    def cursor_class(self):
        """Return a psycopg cursor class whose statements in a web request are watched."""
        watchdog = self

        class WatchedCursor(psycopg.Cursor):
            def execute(self, query, params=None, **options):
                if not has_request_context():
                    return super().execute(query, params, **options)
                with watchdog.watch(self.connection.fileno()):
                    return super().execute(query, params, **options)

        return WatchedCursor


def _cut(fileno):
    try:
        duplicate = socket.socket(fileno=os.dup(fileno))
    except OSError:
        return
    try:
        duplicate.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    finally:
        duplicate.close()
