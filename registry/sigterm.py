"""Stopping a command by SIGTERM (systemd, `kill`) so that it gives back what it claimed.

`alerts send` and `mail deliver` claim rows before sending them. Inside `raising_on_sigterm` a
SIGTERM becomes `Terminated`, the run's own cleanup gives the unsent rows back, and the command
exits with TERMINATED (143); a mail server that cannot be reached gives EX_TEMPFAIL (75), so
cron and systemd report the outage the same day.
"""

import signal
import threading
from contextlib import contextmanager

EX_TEMPFAIL = 75  # sysexits.h: a temporary failure, try again later
TERMINATED = 128 + signal.SIGTERM


class Terminated(BaseException):
    """The run was told to stop (SIGTERM): what it claimed and did not send is given back.

    A BaseException, like KeyboardInterrupt, so that no `except Exception` swallows it.
    """


def _terminate(_signum, _frame):
    # Once: a second SIGTERM must not interrupt giving the claimed rows back.
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise Terminated


@contextmanager
def raising_on_sigterm():
    """Turn SIGTERM into `Terminated` while the block runs (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
