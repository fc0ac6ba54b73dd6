"""Requests through the loader and `dpa-registry check`: --now, --today's end, due_at in JSON."""

import json
from datetime import UTC, date, datetime

from registry.queries import load_facts
from tests.registry_factories import make_controller, make_dpa
from tests.requests.factories import make_assistance_request, make_subject_request

# Friday 2026-11-27 15:00 in Helsinki; 2 working days later is Tuesday 2026-12-01 15:00.
RECEIVED = datetime(2026, 11, 27, 13, 0, tzinfo=UTC)


def _requests(runner, *options):
    result = runner.invoke(args=["check", "--format", "json", *options])
    document = json.loads(result.output)
    return [finding for finding in document["findings"] if finding["area"] == "requests"]


def test_the_loader_gives_requests_in_the_registry_time_zone(app):
    controller = make_dpa().controller
    row = make_subject_request(controller, received_at=RECEIVED)
    assistance = make_assistance_request(controller)
    facts = load_facts()
    [loaded] = facts.subject_requests
    assert loaded.id == row.id and loaded.received_at == RECEIVED
    assert loaded.received_at.tzname() == "EET"
    assert loaded.due_at == datetime(2026, 12, 1, 13, 0, tzinfo=UTC)
    [loaded_assistance] = facts.assistance_requests
    assert loaded_assistance.id == assistance.id and loaded_assistance.due_on == date(2026, 11, 30)


def test_check_now_judges_forwarding_to_the_hour_across_the_weekend(app, runner):
    controller = make_dpa(controller=make_controller(name="Aurora Kauppa Oy")).controller
    make_subject_request(controller, received_at=RECEIVED)
    [due] = _requests(runner, "--now", "2026-12-01T15:00+02:00")
    assert due["code"] == "subject_request_due" and due["severity"] == "amber"
    assert due["due_at"] == "2026-12-01T15:00:00+02:00" and due["due_on"] == "2026-12-01"
    assert due["controller_id"] == controller.id
    [overdue] = _requests(runner, "--now", "2026-12-01T15:00:01+02:00")
    assert overdue["code"] == "subject_request_overdue" and overdue["severity"] == "red"
    assert _requests(runner, "--now", "2026-11-27T14:59+02:00") == []  # not received yet


def test_check_today_judges_at_the_end_of_the_day(app, runner):
    controller = make_dpa().controller
    make_subject_request(controller, received_at=RECEIVED)
    make_assistance_request(controller, due_on=date(2026, 11, 30))
    codes = sorted(f["code"] for f in _requests(runner, "--today", "2026-12-01"))
    assert codes == ["assistance_overdue", "subject_request_overdue"]
    [assistance] = [f for f in _requests(runner, "--today", "2026-11-30")
                    if f["code"].startswith("assistance_")]
    assert assistance["code"] == "assistance_due"
    assert assistance["due_at"] == "2026-11-30T23:59:59+02:00"
