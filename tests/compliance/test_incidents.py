"""Incident rules: notices due to the hour, judged at an instant, across a DST change.

Helsinki moves its clocks from 03:00 EET (UTC+2) to 04:00 EEST (UTC+3) at 2027-03-28 01:00 UTC:
that night has 23 hours, and a deadline "24 hours later" lands an hour later on the wall clock.
"""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from registry.compliance import (
    IncidentFacts,
    IncidentNoticeFacts,
    RegistryFacts,
    Severity,
    assess,
    hours_left,
    incident_findings,
    notice_due_at,
    notice_state,
)
from tests.compliance.builders import controller, dpa, subcontractor

HELSINKI = ZoneInfo("Europe/Helsinki")
SWITCH = datetime(2027, 3, 28, 1, 0, tzinfo=UTC)  # 03:00 EET becomes 04:00 EEST
SECOND = timedelta(seconds=1)


def local(*parts):
    """Return an aware Helsinki wall-clock time."""
    return datetime(*parts, tzinfo=HELSINKI)


def notice(due_at, **overrides):
    return IncidentNoticeFacts(**{"id": 1, "controller_id": 1, "due_at": due_at, "hours": 24,
                                  **overrides})


def incident(aware_at, notices=(), **overrides):
    return IncidentFacts(**{"id": 7, "reference": "INC-2027-001", "title": "Mailbox exposed",
                            "aware_at": aware_at, "notices": tuple(notices), **overrides})


def facts(*incidents, **overrides):
    return RegistryFacts(**{"controllers": (controller(),), "dpas": (dpa(),),
                            "incidents": incidents, **overrides})


def codes(found):
    return [finding.code for finding in found]


def test_the_deadline_counts_real_hours_across_the_spring_forward():
    aware = local(2027, 3, 28, 2, 30)  # EET, 30 minutes before the clocks jump
    due = notice_due_at(aware, 24, default_hours=72)
    assert due.astimezone(UTC) - aware.astimezone(UTC) == timedelta(hours=24)
    assert due.astimezone(HELSINKI) == local(2027, 3, 29, 3, 30)  # 25 wall-clock hours later
    assert due.astimezone(HELSINKI).tzname() == "EEST"


def test_a_dpa_without_hours_uses_the_default():
    aware = local(2027, 3, 27, 23, 0)
    # 24 real hours across the 23-hour night: midnight, not 23:00, on the wall clock.
    assert notice_due_at(aware, None, default_hours=24) == local(2027, 3, 29, 0, 0)


@pytest.mark.parametrize(("offset", "expected"), [
    (-timedelta(hours=1), "due"),
    (-SECOND, "due"),
    (timedelta(0), "due"),  # the deadline itself is still in time
    (SECOND, "overdue"),
    (timedelta(hours=1), "overdue"),
])
def test_a_notice_is_amber_until_its_hour_and_red_after_it(offset, expected):
    aware = local(2027, 3, 28, 2, 0)  # EET, before the change
    due = notice_due_at(aware, 3, default_hours=24)
    assert due == local(2027, 3, 28, 6, 0)  # EEST: three real hours, four on the wall clock
    now = (due.astimezone(UTC) + offset).astimezone(HELSINKI)
    found = incident_findings(facts(incident(aware, [notice(due, hours=3)])), now)
    assert codes(found) == [f"incident_notice_{expected}"]
    severity = Severity.AMBER if expected == "due" else Severity.RED
    assert found[0].severity is severity
    assert found[0].due_at == due and found[0].controller_id == 1


def test_the_countdown_across_the_change_counts_the_missing_hour_once():
    aware = local(2027, 3, 28, 0, 0)  # EET
    due = notice_due_at(aware, 6, default_hours=24)  # 07:00 EEST, six real hours later
    assert due.astimezone(HELSINKI) == local(2027, 3, 28, 7, 0)
    assert hours_left(due, aware) == 6
    just_after_switch = SWITCH + SECOND  # 04:00:01 EEST
    assert hours_left(due, just_after_switch) == 3  # 2 h 59 min 59 s left reads "3 h"
    assert hours_left(due, due) == 0
    assert hours_left(due, due + SECOND) == -1


def test_the_message_and_due_day_read_in_local_time():
    due = local(2027, 3, 29, 0, 30)  # just after midnight in Helsinki, still the 28th in UTC
    found = incident_findings(facts(incident(due - timedelta(hours=24), [notice(due)])),
                              due - timedelta(hours=1))
    assert found[0].due_on == date(2027, 3, 29)
    assert "2027-03-29 00:30 EEST" in found[0].message
    assert "Acme Oy" in found[0].message and "INC-2027-001" in found[0].message


def test_a_notified_controller_raises_nothing_even_when_notified_late():
    due = SWITCH + timedelta(hours=5)
    sent = notice(due, notified_at=due + timedelta(hours=2))
    assert notice_state(sent, due + timedelta(hours=3)) == "notified_late"
    assert incident_findings(facts(incident(SWITCH, [sent])), due + timedelta(hours=3)) == ()
    # Before the notice was sent it was overdue: the engine reads facts as of `now`.
    assert codes(incident_findings(facts(incident(SWITCH, [sent])), due + timedelta(hours=1))) \
        == ["incident_notice_overdue"]


def test_an_incident_not_yet_known_or_already_closed_raises_nothing():
    aware = SWITCH
    late = notice(aware + timedelta(hours=1))
    closed = incident(aware, [late], closed_at=aware + timedelta(hours=5))
    assert incident_findings(facts(closed), aware - SECOND) == ()
    assert codes(incident_findings(facts(closed), aware + timedelta(hours=4))) == [
        "incident_notice_overdue"]
    assert incident_findings(facts(closed), aware + timedelta(hours=6)) == ()


def test_a_subcontractor_reporting_later_than_its_promise_is_red():
    vendor = subcontractor(id=3, name="Pilvi Oy", breach_notice_hours=24)
    reported = SWITCH + timedelta(hours=30)
    late = incident(reported, detected_by="subcontractor", subcontractor_id=3,
                    subcontractor_aware_at=SWITCH)
    in_time = incident(SWITCH + timedelta(hours=23), detected_by="subcontractor",
                       subcontractor_id=3, subcontractor_aware_at=SWITCH, id=8)
    registry = facts(late, in_time, subcontractors=(vendor,))
    [finding] = incident_findings(registry, reported + SECOND)
    assert finding.code == "incident_subcontractor_late"
    assert finding.subcontractor_id == 3 and finding.subject_id == 7
    assert "30 h" in finding.message and "24 h" in finding.message


def test_a_subcontractor_without_a_promise_is_not_judged_late():
    vendor = subcontractor(id=3, breach_notice_hours=None)
    report = incident(SWITCH + timedelta(days=3), detected_by="subcontractor",
                      subcontractor_id=3, subcontractor_aware_at=SWITCH)
    assert incident_findings(facts(report, subcontractors=(vendor,)),
                             SWITCH + timedelta(days=4)) == ()


def test_assess_at_an_instant_colours_the_controller_and_subcontractor():
    vendor = subcontractor(id=3, name="Pilvi Oy", breach_notice_hours=12)
    aware = SWITCH + timedelta(hours=20)
    report = incident(aware, [notice(aware + timedelta(hours=24))], detected_by="subcontractor",
                      subcontractor_id=3, subcontractor_aware_at=SWITCH)
    registry = facts(report, subcontractors=(vendor,))
    day = aware.astimezone(HELSINKI).date()
    without = assess(registry, day)
    judged = assess(registry, day, now=aware + timedelta(hours=1))
    assert not any(f.area == "incidents" for f in without.findings)
    assert {f.code for f in judged.findings if f.area == "incidents"} == {
        "incident_notice_due", "incident_subcontractor_late"}
    assert judged.controller_status[1] is Severity.AMBER
    assert judged.subcontractor_status[3] is Severity.RED
    assert judged.now == aware + timedelta(hours=1)
    overdue = assess(registry, day, now=aware + timedelta(hours=25))
    assert overdue.controller_status[1] is Severity.RED
    assert list(overdue.findings) == sorted(overdue.findings, key=lambda f: (
        -f.severity.rank, f.due_on is None, f.due_on or date.min))


def test_naive_instants_are_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        incident(datetime(2027, 3, 28, 1, 0))
    with pytest.raises(ValueError, match="names the subcontractor"):
        incident(SWITCH, detected_by="subcontractor")
