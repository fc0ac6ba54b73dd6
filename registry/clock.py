"""The registry's idea of "today": the date in the configured time zone, not the server's."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import current_app


def local_now():
    """Return the current time in REGISTRY_TIMEZONE (aware)."""
    return datetime.now(UTC).astimezone(ZoneInfo(current_app.config["TIMEZONE"]))


def local_today():
    """Return today's date in REGISTRY_TIMEZONE."""
    return local_now().date()
