"""The items and their findings: pure rules over frozen facts, judged on one day."""

from datetime import date, timedelta

from registry.compliance import RegistryFacts, Severity, SubcontractorPastFacts, assess
from registry.compliance.return_or_deletion import (
    ReturnOrDeletionEvidenceFacts,
    contract_end,
    item_key,
    return_or_deletion_items,
)
from tests.compliance.builders import controller, dpa, engagement, subcontractor

END = date(2026, 6, 1)
DAY = timedelta(days=1)


def facts(**overrides):
    return RegistryFacts(**{"controllers": (controller(),), "dpas": (dpa(),),
                            "subcontractors": (subcontractor(),),
                            "engagements": (engagement(),), **overrides})


def terminated(**overrides):
    return dpa(**{"status": "terminated", "terminated_on": END,
                  "return_or_deletion": "deletion", **overrides})


def keys(found, today):
    return {(item.key, item.state(today)) for item in found}


def ours(assessment):
    return [(f.code, f.subject_type, f.subject_id, f.controller_id, f.subcontractor_id, f.due_on)
            for f in assessment.findings if f.code.startswith("return_or_deletion_")]


def test_a_terminated_dpa_makes_an_item_for_us_and_each_subcontractor_holding_the_data():
    registry = facts(dpas=(terminated(),))
    due = END + timedelta(days=30)
    assert keys(return_or_deletion_items(registry, END), END) == {
        ("controller-1", "due"), ("controller-1-subcontractor-10", "due")}
    item = return_or_deletion_items(registry, END)[0]
    assert (item.trigger, item.trigger_on, item.due_on, item.choice) == (
        "contract_ended", END, due, "deletion")


def test_nothing_exists_the_day_before_the_end():
    assert return_or_deletion_items(facts(dpas=(terminated(),)), END - DAY) == ()


def test_amber_until_the_due_day_red_the_day_after():
    registry = facts(dpas=(terminated(return_or_deletion_days=10),))
    due = END + timedelta(days=10)
    assert {code for code, *_ in ours(assess(registry, due))} == {"return_or_deletion_due"}
    assert {code for code, *_ in ours(assess(registry, due + DAY))} == {
        "return_or_deletion_overdue"}
    findings = ours(assess(registry, due + DAY))
    assert ("return_or_deletion_overdue", "controller", 1, 1, None, due) in findings
    assert ("return_or_deletion_overdue", "controller", 1, 1, 10, due) in findings


def test_an_ended_controller_shows_the_worst_of_its_items():
    registry = facts(dpas=(terminated(return_or_deletion_days=10),))
    assessment = assess(registry, END + timedelta(days=11))
    assert assessment.controller_status[1] is Severity.RED
    assert assessment.subcontractor_status[10] is Severity.RED


def test_completion_counts_from_its_day_and_needs_every_item():
    registry = facts(dpas=(terminated(),), return_or_deletion=(
        ReturnOrDeletionEvidenceFacts(key="controller-1", certificate_on=END + DAY,
                                      completed_on=END + 2 * DAY),))
    assert keys(return_or_deletion_items(registry, END + DAY), END + DAY) == {
        ("controller-1", "due"), ("controller-1-subcontractor-10", "due")}
    on = END + 2 * DAY
    assert keys(return_or_deletion_items(registry, on), on) == {
        ("controller-1", "done"), ("controller-1-subcontractor-10", "due")}
    assert [f[4] for f in ours(assess(registry, on))] == [10]


def test_an_overdue_item_with_a_certificate_says_it_waits_for_completion():
    registry = facts(dpas=(terminated(return_or_deletion_days=1),), return_or_deletion=(
        ReturnOrDeletionEvidenceFacts(key="controller-1", certificate_on=END),))
    messages = [f.message for f in assess(registry, END + 5 * DAY).findings
                if f.code == "return_or_deletion_overdue" and f.subcontractor_id is None]
    assert messages == ["We had to delete Acme Oy's data by 2026-06-02; a certificate waits to "
                        "be marked completed (the contract ended on 2026-06-01)"]


def test_an_ended_controller_is_an_end_without_a_dpa_end():
    registry = facts(controllers=(controller(status="ended", ended_on=END),))
    assert contract_end(registry.controllers[0], registry.dpas, END) == (END, registry.dpas[0])
    assert contract_end(registry.controllers[0], registry.dpas, END - DAY) is None
    assert {item.key for item in return_or_deletion_items(registry, END)} == {
        "controller-1", "controller-1-subcontractor-10"}


def test_an_expired_dpa_ends_the_day_after_its_last_day():
    registry = facts(dpas=(dpa(expires_on=END - DAY, return_or_deletion_days=5),))
    items = return_or_deletion_items(registry, END)
    assert {(item.trigger_on, item.due_on) for item in items} == {(END, END + 5 * DAY)}
    assert return_or_deletion_items(registry, END - DAY) == ()


def test_a_new_version_signed_in_time_is_no_end():
    renewed = dpa(id=2, version=2, signed_on=END - 10 * DAY, effective_from=END)
    registry = facts(dpas=(terminated(status="superseded"), renewed))
    assert return_or_deletion_items(registry, END + DAY) == ()


def test_a_withdrawn_engagement_makes_an_item_for_that_subcontractor_only():
    registry = facts(engagements=(engagement(withdrawn_on=END),))
    items = return_or_deletion_items(registry, END)
    assert [(item.key, item.trigger, item.controller_id, item.subcontractor_id)
            for item in items] == [("engagement-1000", "engagement_withdrawn", 1, 10)]
    assert return_or_deletion_items(registry, END - DAY) == ()
    finding = [f for f in assess(registry, END).findings
               if f.code == "return_or_deletion_due"][0]
    assert (finding.subject_type, finding.subject_id) == ("engagement", 1000)


def test_an_offboarding_is_named_as_such():
    offboarded = subcontractor(status="offboarded", history=(SubcontractorPastFacts(
        valid_until=END - DAY, status="active", risk_tier="low", country="FI"),))
    registry = facts(subcontractors=(offboarded,),
                     engagements=(engagement(withdrawn_on=END),))
    assert [item.trigger for item in return_or_deletion_items(registry, END)] == [
        "subcontractor_offboarded"]
    assert assess(registry, END).subcontractor_status[10] is Severity.AMBER


def test_an_every_controller_engagement_withdrawn_is_one_item_for_every_controller():
    registry = facts(controllers=(controller(), controller(id=2, name="Beta Oy")),
                     dpas=(dpa(return_or_deletion_days=40),
                           dpa(id=2, controller_id=2, return_or_deletion_days=20)),
                     engagements=(engagement(controller_id=None, withdrawn_on=END),))
    [item] = return_or_deletion_items(registry, END)
    assert (item.key, item.controller_id, item.due_on) == (
        "engagement-1000", None, END + 20 * DAY)


def test_a_withdrawal_after_the_contract_ended_is_covered_by_the_end():
    registry = facts(dpas=(terminated(),), engagements=(engagement(withdrawn_on=END + DAY),))
    assert {item.key for item in return_or_deletion_items(registry, END + DAY)} == {
        "controller-1", "controller-1-subcontractor-10"}


def test_a_subcontractor_withdrawn_before_the_end_gets_no_second_item():
    registry = facts(dpas=(terminated(),), engagements=(engagement(withdrawn_on=END - DAY),))
    assert {item.key for item in return_or_deletion_items(registry, END)} == {
        "controller-1", "engagement-1000"}


def test_a_proposed_subcontractor_held_no_data():
    registry = facts(dpas=(terminated(),), subcontractors=(subcontractor(status="proposed"),))
    assert {item.key for item in return_or_deletion_items(registry, END)} == {"controller-1"}


def test_keys_name_the_item():
    assert item_key(3) == "controller-3"
    assert item_key(3, 5) == "controller-3-subcontractor-5"
    assert item_key(None, engagement_id=9) == "engagement-9"
