"""Request rules: data-subject requests forwarded within working days, judged at an instant
(across a weekend and a DST change); assistance requests due on a day.

Helsinki: 2026-11-27 is a Friday; the clocks go from EET (UTC+2) to EEST (UTC+3) on Sunday
2027-03-28 and back on Sunday 2026-10-25.
"""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from registry.compliance import (
    AssistanceRequestFacts,
    RegistryFacts,
    Severity,
    SubjectRequestFacts,
    assess,
    assistance_state,
    forward_due_at,
    forward_state,
    hour_findings,
)
from tests.compliance.builders import controller, dpa

HELSINKI = ZoneInfo("Europe/Helsinki")
SECOND = timedelta(seconds=1)


def local(*parts):
    """Return an aware Helsinki wall-clock time."""
    return datetime(*parts, tzinfo=HELSINKI)


def request(received_at, days=2, **overrides):
    return SubjectRequestFacts(**{
        "id": 5, "reference": "DSR-2026-001", "request_type": "erasure",
        "received_at": received_at, "due_at": forward_due_at(received_at, days),
        "controller_id": 1, **overrides})


def assistance(**overrides):
    return AssistanceRequestFacts(**{
        "id": 9, "reference": "AR-2026-001", "kind": "dpia", "controller_id": 1,
        "received_on": date(2026, 11, 20), "due_on": date(2026, 11, 30), **overrides})


def facts(*subject_requests, assistance_requests=()):
    return RegistryFacts(controllers=(controller(),), dpas=(dpa(),),
                         subject_requests=subject_requests,
                         assistance_requests=assistance_requests)


def codes(found):
    return [finding.code for finding in found]


def test_working_days_skip_the_weekend_and_keep_the_time_of_day():
    assert forward_due_at(local(2026, 11, 27, 15, 0), 2) == local(2026, 12, 1, 15, 0)  # Fri→Tue
    assert forward_due_at(local(2026, 11, 28, 10, 0), 2) == local(2026, 12, 1, 10, 0)  # Sat→Tue
    assert forward_due_at(local(2026, 11, 25, 9, 0), 2) == local(2026, 11, 27, 9, 0)  # Wed→Fri
    assert forward_due_at(local(2026, 11, 26, 9, 0), 5) == local(2026, 12, 3, 9, 0)


def test_working_days_keep_the_wall_clock_across_a_dst_change():
    spring = forward_due_at(local(2027, 3, 26, 15, 0), 2)  # Friday EET → Tuesday EEST
    assert spring == local(2027, 3, 30, 15, 0) and spring.tzname() == "EEST"
    assert spring.astimezone(UTC) == datetime(2027, 3, 30, 12, 0, tzinfo=UTC)
    autumn = forward_due_at(local(2026, 10, 23, 15, 0), 2)  # Friday EEST → Tuesday EET
    assert autumn.astimezone(UTC) == datetime(2026, 10, 27, 13, 0, tzinfo=UTC)
    assert autumn.tzname() == "EET"


def test_amber_until_the_deadline_red_one_second_after():
    item = request(local(2027, 3, 26, 15, 0))
    due = item.due_at
    [amber] = hour_findings(facts(item), due)
    assert amber.code == "subject_request_due" and amber.severity is Severity.AMBER
    assert amber.due_at == due and amber.due_on == date(2027, 3, 30)
    assert "forward erasure request DSR-2026-001 to" in amber.message
    [red] = hour_findings(facts(item), due + SECOND)
    assert red.code == "subject_request_overdue" and red.severity is Severity.RED
    # 12:30 UTC is 15:30 EEST, past the deadline, though still 14:30 by the Friday's EET.
    assert codes(hour_findings(facts(item), datetime(2027, 3, 30, 12, 30, tzinfo=UTC))) == [
        "subject_request_overdue"]


def test_nothing_before_it_arrived_after_it_was_forwarded_or_once_closed():
    received = local(2026, 11, 27, 15, 0)
    assert hour_findings(facts(request(received)), received - SECOND) == ()
    forwarded = request(received, forwarded_at=received + timedelta(hours=2))
    assert hour_findings(facts(forwarded), received + timedelta(hours=1)) != ()
    assert hour_findings(facts(forwarded), received + timedelta(days=30)) == ()
    closed = request(received, forwarded_at=received + SECOND,
                     closed_at=received + timedelta(hours=1))
    assert hour_findings(facts(closed), received + timedelta(days=30)) == ()


def test_a_forward_after_the_deadline_is_late_but_raises_nothing():
    item = request(local(2026, 11, 27, 15, 0))
    late = request(local(2026, 11, 27, 15, 0), forwarded_at=item.due_at + timedelta(hours=3))
    assert forward_state(late, item.due_at + timedelta(hours=1)) == "overdue"
    assert forward_state(late, item.due_at + timedelta(hours=4)) == "forwarded_late"
    assert hour_findings(facts(late), item.due_at + timedelta(hours=4)) == ()


def test_an_unknown_controller_is_due_all_the_same():
    item = request(local(2026, 11, 27, 15, 0), controller_id=None)
    [finding] = hour_findings(facts(item), local(2026, 11, 27, 16, 0))
    assert finding.controller_id is None
    assert "identify the controller of erasure request DSR-2026-001" in finding.message


def test_the_assessment_at_an_instant_worsens_the_controller():
    item = request(local(2026, 11, 27, 15, 0))
    assessment = assess(facts(item), date(2026, 12, 1), 60, now=local(2026, 12, 1, 15, 1))
    assert "subject_request_overdue" in codes(assessment.findings)
    assert assessment.controller_status[1] is Severity.RED


def test_an_assistance_request_is_amber_until_its_day_then_red():
    item = assistance()
    assert assistance_state(item, date(2026, 11, 30)) == "due"
    on_the_day = assess(facts(assistance_requests=(item,)), date(2026, 11, 30), 60)
    assert "assistance_due" in codes(on_the_day.findings)
    after = assess(facts(assistance_requests=(item,)), date(2026, 12, 1), 60)
    [red] = [f for f in after.findings if f.code == "assistance_overdue"]
    assert red.due_on == date(2026, 11, 30) and after.controller_status[1] is Severity.RED
    assert "AR-2026-001 (data protection impact assessment)" in red.message


def test_an_assistance_request_counts_only_between_arrival_and_answer():
    item = assistance(answered_on=date(2026, 12, 3))
    before = assess(facts(assistance_requests=(item,)), date(2026, 11, 19), 60)
    assert not [f for f in before.findings if f.area == "requests"]
    still_open = assess(facts(assistance_requests=(item,)), date(2026, 12, 2), 60)
    assert "assistance_overdue" in codes(still_open.findings)
    answered = assess(facts(assistance_requests=(item,)), date(2026, 12, 3), 60)
    assert not [f for f in answered.findings if f.area == "requests"]
    assert assistance_state(item, date(2026, 12, 3)) == "answered"
