"""Calendar arithmetic and the expired / expiring / fine reading of a last valid day."""

import calendar
from dataclasses import dataclass
from datetime import MAXYEAR, MINYEAR, date, timedelta

SATURDAY = 5


def add_days(day: date, days: int) -> date:
    """Return `day` moved by `days` days, stopping at the first or last representable date."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        # A typed "9999-12-31" must not take the whole assessment down.
        return date.max if days > 0 else date.min


def add_months(day: date, months: int) -> date:
    """Return `day` moved by `months` calendar months, clamped to the end of a shorter month."""
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    if not MINYEAR <= year <= MAXYEAR:
        return date.max if months > 0 else date.min
    last_day = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last_day))


def add_working_days(day: date, working_days: int) -> date:
    """Return the date `working_days` working days (Monday to Friday) after `day`.

    Public holidays are not known here and count as working days.
    """
    if working_days < 0:
        raise ValueError("working_days must not be negative")
    if working_days == 0:
        return day
    if day.weekday() >= SATURDAY:
        # Counting from a weekend day gives the same result as counting from the Friday before.
        day -= timedelta(days=day.weekday() - SATURDAY + 1)
    weeks, remainder = divmod(working_days, 5)
    day = add_days(day, 7 * weeks)
    for _ in range(remainder):
        day = add_days(day, 3 if day.weekday() == SATURDAY - 1 else 1)
    return day


@dataclass(frozen=True, slots=True)
class Horizon:
    """The assessment day and the last day of its alert horizon."""

    today: date
    last_day: date

    @classmethod
    def starting(cls, today: date, horizon_days: int) -> "Horizon":
        """Return the horizon of `horizon_days` days after `today`."""
        return cls(today, add_days(today, horizon_days))

    def is_expired(self, last_valid_day: date | None) -> bool:
        """Return whether `last_valid_day` is before today (None never expires)."""
        return last_valid_day is not None and last_valid_day < self.today

    def is_expiring(self, last_valid_day: date | None) -> bool:
        """Return whether `last_valid_day` is today or falls within the horizon."""
        return last_valid_day is not None and self.today <= last_valid_day <= self.last_day
