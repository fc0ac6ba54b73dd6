"""Time travel: thresholds cross on the right local day, also across DST and any server TZ."""

import time
from datetime import date, timedelta
from pathlib import Path

import pytest

from registry.alerts import operations
from registry.models import Alert
from tests.alerts.factories import make_lapsing_registry


@pytest.fixture
def server_in_new_york(monkeypatch):
    """Give the process a time zone far from Helsinki, as a badly configured server might."""
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def _sent_thresholds():
    sent = Alert.select().where((Alert.status == "sent") & Alert.threshold.is_null(False))
    return sorted({alert.threshold for alert in sent})


def test_each_threshold_sends_on_its_day_and_nothing_between(app, travel):
    lapses_on = date(2027, 1, 24)
    make_lapsing_registry(lapses_on=lapses_on)
    outbox = app.config["OUTBOX_DIR"]
    sent_per_day = {}
    day = lapses_on - timedelta(days=62)
    while day <= lapses_on + timedelta(days=3):
        travel(day.year, day.month, day.day, 6, 0)
        report = operations.send_alerts()
        if report.sent:
            sent_per_day[(lapses_on - day).days] = len(report.sent)
        day += timedelta(days=1)
    # Each threshold: one digest for legal staff and one reminder for the subcontractor; the day
    # after, the requirement the certificate covered is unmet: a new red finding, told once.
    assert sent_per_day == {60: 2, 30: 2, 7: 2, 0: 2, -1: 2}
    assert _sent_thresholds() == [0, 7, 30, 60]
    lapsed = Alert.select().where(Alert.threshold.is_null())
    assert {alert.kind for alert in lapsed} == {"requirement_expired"}
    assert len(list(Path(outbox).glob("*.eml"))) == 10


def test_a_run_after_downtime_sends_one_catch_up_per_item(app, travel):
    make_lapsing_registry(lapses_on=date(2027, 1, 24))
    travel(2027, 1, 20, 6, 0)  # nothing ran at 60 or 30 days; now 4 days are left
    report = operations.send_alerts()
    assert len(report.sent) == 2
    assert _sent_thresholds() == [7]
    assert Alert.select().count() == 3


@pytest.mark.usefixtures("server_in_new_york")
def test_the_local_day_decides_across_the_spring_dst_change(app, travel):
    # Helsinki moves to summer time at 01:00 UTC on Sunday 2027-03-28.
    make_lapsing_registry(lapses_on=date(2027, 3, 28))
    travel(2027, 3, 27, 21, 30)  # 23:30 in Helsinki on the 27th: one day left
    operations.send_alerts()
    assert _sent_thresholds() == [7]
    travel(2027, 3, 27, 22, 30)  # 00:30 on the 28th in Helsinki, 18:30 on the 27th in New York
    operations.send_alerts()
    assert _sent_thresholds() == [0, 7]


@pytest.mark.usefixtures("server_in_new_york")
def test_the_local_day_decides_across_the_autumn_dst_change(app, travel):
    # Helsinki returns to winter time at 01:00 UTC on Sunday 2027-10-31.
    make_lapsing_registry(lapses_on=date(2027, 11, 30))
    travel(2027, 10, 30, 20, 59)  # 23:59 summer time on the 30th: 31 days left
    operations.send_alerts()
    assert _sent_thresholds() == [60]
    travel(2027, 10, 30, 21, 0)  # 00:00 on the 31st: 30 days left
    operations.send_alerts()
    assert _sent_thresholds() == [30, 60]
    travel(2027, 10, 31, 22, 30)  # winter time: 00:30 on 1 November, 29 days left
    assert operations.send_alerts().sent == []
