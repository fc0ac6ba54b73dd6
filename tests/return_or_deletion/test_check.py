"""`dpa-registry check` reports each item with its due day and instant, as of the day asked."""

import json


def _ours(runner, *options):
    result = runner.invoke(args=["check", "--format", "json", *options])
    return result.exit_code, [finding for finding in json.loads(result.output)["findings"]
                              if finding["code"].startswith("return_or_deletion_")]


def test_check_today_reproduces_the_day_before_on_and_after_the_due_day(app, runner, ended):
    assert _ours(runner, "--today", "2026-11-09")[1] == []  # the contract still ran
    _code, due = _ours(runner, "--today", "2026-12-10")
    assert {(f["code"], f["severity"], f["due_on"]) for f in due} == {
        ("return_or_deletion_due", "amber", "2026-12-10")}
    assert len(due) == 2
    assert {f["due_at"] for f in due} == {"2026-12-10T23:59:59+02:00"}
    exit_code, overdue = _ours(runner, "--today", "2026-12-11")
    assert exit_code == 1
    assert {(f["code"], f["severity"]) for f in overdue} == {
        ("return_or_deletion_overdue", "red")}
    assert {f["subcontractor_id"] for f in overdue} == {None, ended.alpha.subcontractor.id}
