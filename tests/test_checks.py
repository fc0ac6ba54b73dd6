"""Loading the registry into the engine, and the `check` command."""

import json
from datetime import date, datetime

from registry import checks
from registry.queries import load_facts
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


def _codes(result):
    return {finding.code for finding in result.findings}


def test_a_controller_without_a_signed_dpa_is_red(app):
    controller = make_controller(name="Aurora Kauppa Oy")
    result = checks.run_check()
    assert "dpa_missing" in _codes(result)
    assert result.has_red
    assert result.assessment.controller_status[controller.id].value == "red"


def test_load_facts_carries_clauses_flow_down_and_superseded_instructions(app):
    dpa = make_dpa(clauses={"confidentiality": False})
    first = make_instruction(controller=dpa.controller, version=1)
    second = make_instruction(controller=dpa.controller, version=2, supersedes=first)
    make_subcontractor(flow_down=False, name="No Contract Oy")
    facts = load_facts()
    assert dict(facts.dpas[0].clauses)["confidentiality"] is False
    assert [i.superseded_on for i in sorted(facts.instructions, key=lambda i: i.version)] == [
        second.received_on, None]
    assert facts.subcontractors[0].flow_downs == ()
    codes = _codes(checks.run_check())
    assert "dpa_clause_missing:confidentiality" in codes
    assert "flow_down_missing" in codes


def test_an_all_green_registry_has_no_findings(app):
    dpa = make_dpa()
    make_instruction(controller=dpa.controller)
    make_requirement()
    subcontractor = make_subcontractor()
    make_attestation(subcontractor=subcontractor)
    make_engagement(subcontractor=subcontractor, controller=dpa.controller)
    result = checks.run_check()
    assert result.findings == ()
    assert not result.has_red


def test_loading_takes_the_same_number_of_queries_at_any_size(app):
    from bench.harness import counting_queries

    def queries_for_one_check():
        checks.forget_snapshot()  # a whole load, as `dpa-registry check` makes
        with counting_queries() as counter:
            checks.run_check()
        return counter.count

    make_requirement()
    for _ in range(2):
        make_engagement(controller=make_dpa().controller)
    small = queries_for_one_check()
    for _ in range(20):
        subcontractor = make_subcontractor()
        make_attestation(subcontractor=subcontractor)
        make_engagement(subcontractor=subcontractor, controller=make_dpa().controller)
        make_instruction()
    assert queries_for_one_check() == small


def test_check_exits_1_and_prints_grouped_findings_when_something_is_red(app, runner):
    make_controller(name="Aurora Kauppa Oy")
    result = runner.invoke(args=["check"])
    assert result.exit_code == 1
    assert "RED - dpas (1)" in result.output
    assert "dpa_missing" in result.output
    assert "\x1b[" not in result.output  # plain when not a terminal


def test_check_exits_0_when_everything_is_in_order(app, runner):
    make_dpa()
    result = runner.invoke(args=["check"])
    assert result.exit_code == 0, result.output
    assert "Everything is in order." in result.output


def test_check_json_lists_findings_with_codes_and_due_dates(app, runner):
    dpa = make_dpa(expires_on=days(10))
    result = runner.invoke(args=["check", "--format", "json"])
    assert result.exit_code == 0
    document = json.loads(result.output)
    assert document["counts"] == {"red": 0, "amber": 1}
    [finding] = document["findings"]
    assert finding["code"] == "dpa_expiring"
    assert finding["subject_id"] == dpa.id
    assert finding["due_on"] == days(10).isoformat()


def test_check_today_option_evaluates_another_day(app, runner):
    make_dpa(expires_on=date(2030, 1, 31))
    before = runner.invoke(args=["check", "--format", "json", "--today", "2029-01-01"])
    after = runner.invoke(args=["check", "--format", "json", "--today", "2030-02-01"])
    assert json.loads(before.output)["findings"] == []
    # Expired: red, and the data is due to be returned or deleted (issue 15).
    assert [f["code"] for f in json.loads(after.output)["findings"]] == [
        "dpa_expired", "return_or_deletion_due"]
    assert after.exit_code == 1


def test_check_controller_option_narrows_the_findings(app, runner):
    good = make_dpa().controller
    make_controller()
    narrowed = runner.invoke(args=["check", "--format", "json", "--controller", str(good.id)])
    assert narrowed.exit_code == 0
    assert json.loads(narrowed.output)["findings"] == []


def test_check_refuses_bad_input_with_one_clear_line(app, runner):
    unknown = runner.invoke(args=["check", "--controller", "999"])
    assert unknown.exit_code == 2
    assert "no controller has id 999" in unknown.output
    bad_date = runner.invoke(args=["check", "--today", "25.11.2026"])
    assert bad_date.exit_code == 2
    assert "not a date in the form YYYY-MM-DD" in bad_date.output
    bad_format = runner.invoke(args=["check", "--format", "xml"])
    assert bad_format.exit_code == 2
    assert "Traceback" not in bad_format.output + unknown.output + bad_date.output


def test_db_status_lists_the_applied_migration(app, runner):
    result = runner.invoke(args=["db", "status"])
    assert result.exit_code == 0
    assert "0001_initial" in result.output and "applied" in result.output


def test_the_snapshot_is_reused_until_a_row_changes(app):
    controller = make_controller()
    first = checks.current_snapshot()
    assert checks.current_snapshot() is first
    make_dpa(controller=controller)
    second = checks.current_snapshot()
    assert second is not first
    assert "dpa_missing" not in {f.code for f in second.assessment.findings}


def test_a_bulk_update_also_invalidates_the_snapshot(app):
    from registry.models import Dpa

    dpa = make_dpa()
    before = checks.current_snapshot()
    Dpa.update(expires_on=days(-1)).where(Dpa.id == dpa.id).execute()
    after = checks.current_snapshot()
    assert after is not before
    assert "dpa_expired" in {f.code for f in after.assessment.findings}


def test_load_facts_reads_notice_delivery_and_approval_records(app):
    dpa = make_dpa()
    sent = make_engagement(controller=dpa.controller, on_list_at_signing=False,
                           notified_on=dpa.signed_on, notice_recipients=["dpo@c.example"],
                           notice_sent_at=datetime(2026, 11, 24, 22, 30))
    unsent = make_engagement(controller=dpa.controller, on_list_at_signing=False,
                             notified_on=dpa.signed_on, notice_recipients=["dpo@c.example"])
    outside = make_engagement(controller=dpa.controller, on_list_at_signing=False,
                              approved_on=dpa.signed_on,
                              notes=f"Written approval of {dpa.signed_on}: letter, ref. 7")
    facts = {engagement.id: engagement for engagement in load_facts().engagements}
    # 22:30 UTC is already the next day in Helsinki.
    assert (facts[sent.id].notice_tracked, facts[sent.id].notice_delivered_on) == (
        True, date(2026, 11, 25))
    assert (facts[unsent.id].notice_tracked, facts[unsent.id].notice_delivered_on) == (True, None)
    assert facts[outside.id].notice_tracked is False
    assert facts[outside.id].approval_documented is True
    assert facts[unsent.id].approval_documented is False


def test_load_facts_reads_dates_and_flags_as_python_values(app):
    dpa = make_dpa()
    make_engagement(controller=dpa.controller, on_list_at_signing=False,
                    notified_on=dpa.signed_on, withdrawn_on=days(3))
    facts = load_facts()
    (engagement,) = facts.engagements
    assert type(engagement.notified_on) is date and type(engagement.withdrawn_on) is date
    assert engagement.on_list_at_signing is False and engagement.notice_tracked is False
    assert engagement.approval_documented is False
    assert type(facts.dpas[0].signed_on) is date
    assert facts.dpas[0].document_attached is True
