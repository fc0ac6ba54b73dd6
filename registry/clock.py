"""The registry's one source of "now", and its idea of "today" in the configured time zone.

Every date or time that reaches output (a page, a PDF, an e-mail header, an audit row, a
finding's day) comes from here; no other module reads the wall clock. The source is the app's
clock, `app.extensions["clock"]`: a callable returning an aware UTC datetime, the system clock
unless a test or tool installs another with `use_clock`. Within a web request "now" is read once
and kept for the rest of the request, so that everything one request writes or shows agrees.

Outside an app (a model default during a bare script), the system clock is used.
"""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context, has_request_context, request

_REQUEST_KEY = "registry.now"


def system_clock():
    """Return the current time from the operating system, in UTC (aware)."""
    return datetime.now(UTC)


class FixedClock:
    """A clock that shows one moment until it is moved: for tests and reproducible runs."""

    def __init__(self, moment):
        self.moment = _aware(moment)

    def __call__(self):
        return self.moment

    def move_to(self, moment):
        """Show `moment` from now on."""
        self.moment = _aware(moment)

    def advance(self, delta):
        """Move the clock forward by `delta` (a timedelta)."""
        self.moment += delta


def init_app(app, clock=None):
    """Install `clock` (default: the system clock) as the app's source of now."""
    app.extensions["clock"] = clock or system_clock


def use_clock(app, clock):
    """Replace the app's clock (a callable returning an aware datetime); return the old one."""
    previous = app.extensions.get("clock", system_clock)
    app.extensions["clock"] = clock
    return previous


def utc_now():
    """Return now in UTC (aware): the request's now inside a request, else the app clock's."""
    if has_request_context():
        cached = request.environ.get(_REQUEST_KEY)
        if cached is None:
            cached = request.environ[_REQUEST_KEY] = _read_clock()
        return cached
    return _read_clock()


def naive_utc_now():
    """Return now in UTC as a naive datetime, the form every `*_at` column stores."""
    return utc_now().replace(tzinfo=None)


def local_now():
    """Return now in REGISTRY_TIMEZONE (aware)."""
    return utc_now().astimezone(ZoneInfo(current_app.config["TIMEZONE"]))


def local_today():
    """Return today's date in REGISTRY_TIMEZONE."""
    return local_now().date()


def unix_now():
    """Return now as a UNIX timestamp (seconds, float): the time base of TOTP codes."""
    return utc_now().timestamp()


def _read_clock():
    clock = current_app.extensions.get("clock", system_clock) if has_app_context() else None
    return _aware(clock() if clock is not None else system_clock())


def _aware(moment):
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
