"""The upload form's validity preview is coloured by the engine's rule for this upload alone."""

from datetime import timedelta

import pytest

from registry.clock import local_today
from registry.compliance.dates import add_months

PREVIEW = "/portal/attestations/validity?type=security_questionnaire&issued_on={}"


def _issued_for_last_day(last_day):
    """Return the issue date of a questionnaire (valid 12 months) counting until `last_day`."""
    return add_months(last_day, -12)


@pytest.mark.parametrize(("days_left", "state", "words"), [
    (-1, "expired", "counted only until"),
    (0, "expiring", "(today), soon"),
    (10, "expiring", "(in 10 days), soon"),
    (200, "valid", "will count until"),
])
def test_the_preview_reads_the_last_day_as_passed_soon_or_valid(tenant_a, app, days_left,
                                                               state, words):
    client, _first, _second = tenant_a
    last_day = local_today() + timedelta(days=days_left)
    issued_on = _issued_for_last_day(last_day)

    answer = client.get(PREVIEW.format(issued_on.isoformat())).get_json()

    assert answer["counts_until"] == last_day.isoformat()
    assert answer["state"] == state
    assert words in answer["text"]


def test_the_warning_window_is_the_alert_horizon(tenant_a, app):
    client, _first, _second = tenant_a
    horizon = max(app.config["ALERT_DAYS"])
    inside = local_today() + timedelta(days=horizon)
    outside = inside + timedelta(days=1)

    states = [client.get(PREVIEW.format(_issued_for_last_day(day).isoformat())).get_json()
              for day in (inside, outside)]

    assert [answer["counts_until"] for answer in states] == [inside.isoformat(),
                                                             outside.isoformat()]
    assert [answer["state"] for answer in states] == ["expiring", "valid"]


def test_the_preview_has_no_colour_without_dates(tenant_a):
    client, _first, _second = tenant_a
    answer = client.get("/portal/attestations/validity?type=security_questionnaire").get_json()
    assert answer == {"counts_until": None, "text": ""}
