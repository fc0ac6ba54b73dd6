"""The shared snapshot after a write is reassessed incrementally, and equals a whole rebuild."""

from datetime import UTC, datetime

from registry import checks
from registry.compliance import engine, incremental
from registry.models import Attestation, Controller, Engagement, Subcontractor
from tests.registry_factories import (
    days,
    make_attestation,
    make_controller,
    make_dpa,
    make_engagement,
    make_instruction,
    make_requirement,
    make_subcontractor,
)


def _registry():
    make_requirement()
    subcontractors = [make_subcontractor() for _ in range(3)]
    for subcontractor in subcontractors:
        make_attestation(subcontractor=subcontractor)
    controllers = []
    for number in range(6):
        dpa = make_dpa(breach_notice_hours=48 if number % 2 else None)
        make_instruction(controller=dpa.controller)
        controllers.append(dpa.controller)
        for subcontractor in subcontractors[: 1 + number % 3]:
            make_engagement(subcontractor=subcontractor, controller=dpa.controller)
    return controllers, subcontractors


NOW = datetime(2026, 3, 11, 10, 0, tzinfo=UTC)


def _whole():
    """Return the assessment a whole rebuild makes (no cached snapshot)."""
    checks.forget_snapshot()
    return checks.current_snapshot(now=NOW).assessment


def test_writes_are_reassessed_incrementally_and_match_a_whole_rebuild(app, monkeypatch):
    controllers, subcontractors = _registry()
    full_runs = []
    monkeypatch.setattr(checks, "assess_tracked", lambda *args: full_runs.append(args)
                        or engine.assess_tracked(*args))
    checks.forget_snapshot()
    checks.current_snapshot(now=NOW)
    assert len(full_runs) == 1
    writes = [
        lambda: Controller.update(name="Renamed Oy").where(
            Controller.id == controllers[0].id).execute(),
        lambda: Engagement.update(withdrawn_on=days(-1)).where(
            Engagement.controller == controllers[1].id).execute(),
        lambda: Attestation.update(review="rejected").where(
            Attestation.subcontractor == subcontractors[0].id).execute(),
        lambda: Subcontractor.update(name="Renamed Sub Oy", breach_notice_hours=96).where(
            Subcontractor.id == subcontractors[1].id).execute(),
        lambda: make_engagement(subcontractor=subcontractors[2], controller=make_controller()),
        lambda: Controller.update(status="ended", ended_on=days(-1)).where(
            Controller.id == controllers[2].id).execute(),
    ]
    for write in writes:
        write()
        full_runs.clear()
        reassessed = checks.current_snapshot(now=NOW).assessment
        assert full_runs == []  # the rebuild after the write was incremental
        # A whole rebuild, which the next write's reassessment then starts from.
        assert reassessed == _whole()


def test_a_new_day_assesses_the_whole_registry(app, monkeypatch):
    _registry()
    checks.current_snapshot(today=days(0))
    calls = []
    monkeypatch.setattr(incremental, "_changes", lambda *args: calls.append(args))
    make_controller()
    checks.current_snapshot(today=days(1))
    assert calls == []


def test_a_snapshot_judged_without_hour_findings_equals_the_rule_and_keeps_the_base(app):
    from registry.compliance.incidents import with_incident_findings

    _registry()
    checks.forget_snapshot()
    judged = checks.current_snapshot(now=NOW)
    base = checks._cache.latest(app.config["DATABASE_URL"])
    assert judged.assessment == with_incident_findings(base.assessment, (), NOW)
    assert judged.assessment.now == NOW and base.assessment.now is None
    controller_id = next(iter(base.assessment.controller_status))
    assert (judged.assessment.findings_for_controller(controller_id)
            == base.assessment.findings_for_controller(controller_id))
