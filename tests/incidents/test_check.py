"""Incidents through the loader and `dpa-registry check`: --now, --today's end, due_at in JSON."""

import json
from datetime import UTC, datetime

from registry import checks
from registry.models import IncidentNotice
from registry.queries import load_facts
from tests.incidents.factories import make_incident, naive_utc
from tests.registry_factories import make_controller, make_dpa

# 2026-11-25 08:00 UTC is 10:00 in Helsinki (EET, UTC+2).
AWARE = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)


def _check(runner, *options):
    result = runner.invoke(args=["check", "--format", "json", *options])
    return result, json.loads(result.output)


def _incident_findings(document):
    return [finding for finding in document["findings"] if finding["area"] == "incidents"]


def test_the_loader_gives_incidents_and_notices_in_the_registry_time_zone(app):
    controller = make_dpa().controller
    incident = make_incident([controller], aware_at=AWARE, hours=24)
    [loaded] = load_facts().incidents
    assert loaded.id == incident.id and loaded.reference == incident.reference
    assert loaded.aware_at == AWARE and loaded.aware_at.tzname() == "EET"
    [notice] = loaded.notices
    assert notice.controller_id == controller.id and notice.hours == 24
    assert notice.due_at == datetime(2026, 11, 26, 8, 0, tzinfo=UTC)


def test_check_now_judges_the_notice_to_the_hour(app, runner):
    controller = make_dpa(controller=make_controller(name="Aurora Kauppa Oy")).controller
    make_incident([controller], aware_at=AWARE, hours=24)
    result, document = _check(runner, "--now", "2026-11-26T10:00+02:00")
    [finding] = _incident_findings(document)
    assert finding["code"] == "incident_notice_due" and finding["severity"] == "amber"
    assert finding["due_at"] == "2026-11-26T10:00:00+02:00"
    assert finding["due_on"] == "2026-11-26"
    assert finding["controller_id"] == controller.id
    assert document["now"] == "2026-11-26T10:00:00+02:00"
    assert result.exit_code == 0
    result, document = _check(runner, "--now", "2026-11-26T08:00:01Z")
    assert [f["code"] for f in _incident_findings(document)] == ["incident_notice_overdue"]
    assert result.exit_code == 1


def test_check_today_judges_hour_deadlines_at_the_end_of_that_day(app, runner):
    controller = make_dpa().controller
    make_incident([controller], aware_at=AWARE, hours=24)  # due 2026-11-26 10:00 Helsinki
    _result, due_day = _check(runner, "--today", "2026-11-25")
    _result, next_day = _check(runner, "--today", "2026-11-26")
    assert [f["code"] for f in _incident_findings(due_day)] == ["incident_notice_due"]
    assert [f["code"] for f in _incident_findings(next_day)] == ["incident_notice_overdue"]
    assert next_day["now"] == "2026-11-26T23:59:59+02:00"


def test_a_notice_sent_in_time_leaves_no_finding(app, runner):
    controller = make_dpa().controller
    incident = make_incident([controller], aware_at=AWARE, hours=24)
    IncidentNotice.update(notified_at=naive_utc(AWARE.replace(hour=20))).where(
        IncidentNotice.incident == incident).execute()
    _result, document = _check(runner, "--now", "2026-11-27T00:00+02:00")
    assert _incident_findings(document) == []


def test_day_findings_carry_the_end_of_their_day_as_due_at(app, runner):
    make_dpa(expires_on=datetime(2026, 12, 5).date())
    _result, document = _check(runner, "--today", "2026-11-25")
    [finding] = document["findings"]
    assert finding["due_on"] == "2026-12-05"
    assert finding["due_at"] == "2026-12-05T23:59:59+02:00"


def test_text_output_shows_the_hour_and_zone(app, runner):
    controller = make_dpa(controller=make_controller(name="Aurora Kauppa Oy")).controller
    make_incident([controller], aware_at=AWARE, hours=24)
    result = runner.invoke(args=["check", "--now", "2026-11-26T12:00+02:00"])
    assert result.exit_code == 1
    assert "RED - incidents (1)" in result.output
    assert "(due 2026-11-26 10:00 EET)" in result.output
    assert "Aurora Kauppa Oy" in result.output


def test_check_refuses_a_now_without_offset_or_with_today(app, runner):
    naive = runner.invoke(args=["check", "--now", "2026-11-26T10:00"])
    assert naive.exit_code == 2 and "the UTC offset is required" in naive.output
    both = runner.invoke(args=["check", "--now", "2026-11-26T10:00+02:00",
                               "--today", "2026-11-26"])
    assert both.exit_code == 2 and "not both" in both.output
    assert "Traceback" not in naive.output + both.output


def test_the_shared_snapshot_follows_the_hour_without_reloading(app):
    controller = make_dpa().controller
    make_incident([controller], aware_at=AWARE, hours=2)
    before = checks.current_snapshot(now=datetime(2026, 11, 25, 9, 0, tzinfo=UTC))
    same = checks.current_snapshot(now=datetime(2026, 11, 25, 9, 30, tzinfo=UTC))
    after = checks.current_snapshot(now=datetime(2026, 11, 25, 10, 30, tzinfo=UTC))
    assert same is before
    assert after is not before and after.facts is before.facts
    assert [f.code for f in after.assessment.findings] == ["incident_notice_overdue"]
    assert after.assessment.controller_status[controller.id].value == "red"
