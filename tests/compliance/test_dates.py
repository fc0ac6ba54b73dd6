"""Calendar arithmetic: months clamp to month end, working days skip weekends."""

from datetime import date

import pytest

from registry.compliance import add_months, add_working_days
from registry.compliance.dates import Horizon, add_days


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2025, 11, 30), 3, date(2026, 2, 28)),
        (date(2025, 3, 31), -1, date(2025, 2, 28)),
        (date(2025, 6, 15), 12, date(2026, 6, 15)),
        (date(2025, 12, 15), 1, date(2026, 1, 15)),
    ],
)
def test_add_months_clamps_to_the_end_of_a_shorter_month(start, months, expected):
    assert add_months(start, months) == expected


def test_add_months_stops_at_the_last_representable_date():
    assert add_months(date(9999, 12, 1), 12) == date.max
    assert add_days(date(9999, 12, 31), 5) == date.max


@pytest.mark.parametrize(
    ("start", "working_days", "expected"),
    [
        (date(2026, 3, 5), 5, date(2026, 3, 12)),  # Thursday -> next Thursday, over a weekend
        (date(2026, 3, 6), 1, date(2026, 3, 9)),  # Friday -> Monday
        (date(2026, 3, 6), 5, date(2026, 3, 13)),  # Friday -> next Friday
        (date(2026, 3, 7), 1, date(2026, 3, 9)),  # Saturday -> Monday
        (date(2026, 3, 8), 5, date(2026, 3, 13)),  # Sunday -> Friday
        (date(2026, 3, 9), 4, date(2026, 3, 13)),  # Monday -> Friday, no weekend
        (date(2026, 3, 9), 10, date(2026, 3, 23)),  # two whole weeks
        (date(2026, 3, 11), 0, date(2026, 3, 11)),
    ],
)
def test_add_working_days_skips_weekends(start, working_days, expected):
    assert add_working_days(start, working_days) == expected


def test_add_working_days_refuses_negative_counts():
    with pytest.raises(ValueError, match="negative"):
        add_working_days(date(2026, 3, 11), -1)


def test_horizon_reads_the_last_valid_day():
    horizon = Horizon.starting(date(2026, 3, 11), 60)
    assert horizon.last_day == date(2026, 5, 10)
    assert horizon.is_expired(date(2026, 3, 10))
    assert not horizon.is_expired(date(2026, 3, 11))
    assert horizon.is_expiring(date(2026, 3, 11))
    assert horizon.is_expiring(date(2026, 5, 10))
    assert not horizon.is_expiring(date(2026, 5, 11))
    assert not horizon.is_expired(None) and not horizon.is_expiring(None)
