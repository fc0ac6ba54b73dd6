"""Engagement status (authorised, notified, objected ...) and the findings it leads to."""

from datetime import date, timedelta

import pytest

from registry.compliance import Severity, assess, engagement_status, objection_deadline
from tests.compliance.builders import (
    TODAY,
    codes,
    controller,
    dpa,
    engagement,
    only,
    registry,
    subcontractor,
)

NOTIFIED_ON = date(2026, 2, 20)
DEADLINE = date(2026, 3, 22)  # notice + the DPA's 30 days
SPECIFIC = dpa(subprocessor_authorisation="specific")


def notified(**overrides):
    return engagement(**{"on_list_at_signing": False, "notified_on": NOTIFIED_ON, **overrides})


def assess_engagement(today=TODAY, dpas=(dpa(),), subcontractor_status="active", **overrides):
    facts = registry(
        dpas=dpas,
        subcontractors=(subcontractor(status=subcontractor_status),),
        engagements=(engagement(**overrides),),
    )
    return assess(facts, today)


@pytest.mark.parametrize(
    ("engagement_facts", "expected"),
    [
        (engagement(on_list_at_signing=True), "authorised"),
        (engagement(on_list_at_signing=False, approved_on=date(2026, 1, 5)), "authorised"),
        (engagement(on_list_at_signing=False, proposed_on=date(2026, 1, 5)), "proposed"),
        (notified(), "notified"),
        (notified(objected_on=date(2026, 3, 1)), "objected"),
        (notified(withdrawn_on=date(2026, 3, 1)), "withdrawn"),
        (engagement(on_list_at_signing=True, withdrawn_on=date(2026, 3, 1)), "withdrawn"),
    ],
)
def test_engagement_status_follows_the_recorded_facts(engagement_facts, expected):
    assert engagement_status(engagement_facts, dpa(), TODAY) == expected


def test_under_general_authorisation_the_objection_period_runs_through_its_last_day():
    assert objection_deadline(notified(), dpa(), TODAY) == DEADLINE
    assert engagement_status(notified(), dpa(), DEADLINE) == "notified"
    assert engagement_status(notified(), dpa(), DEADLINE + timedelta(days=1)) == "authorised"


def test_a_stored_deadline_applies_only_when_it_is_not_shorter_than_the_dpas_period():
    # DOMAIN.md "More finer rules": the deadline is never earlier than notice + the period.
    shorter = notified(objection_deadline=date(2026, 3, 1))
    assert objection_deadline(shorter, dpa(), TODAY) == DEADLINE
    assert engagement_status(shorter, dpa(), TODAY) == "notified"
    longer = notified(objection_deadline=DEADLINE + timedelta(days=5))
    assert objection_deadline(longer, dpa(), TODAY) == DEADLINE + timedelta(days=5)


def test_a_notice_the_registry_sent_starts_the_period_only_once_delivered():
    # DOMAIN.md "More finer rules": a notice authorises only where it was delivered.
    undelivered = notified(notice_tracked=True, notice_delivered_on=None)
    assert engagement_status(undelivered, dpa(), date(2027, 1, 1)) == "proposed"
    late = notified(notice_tracked=True, notice_delivered_on=date(2026, 2, 25))
    assert objection_deadline(late, dpa(), TODAY) == date(2026, 3, 27)
    assert engagement_status(late, dpa(), date(2026, 3, 27)) == "notified"
    assert engagement_status(late, dpa(), date(2026, 3, 28)) == "authorised"


def test_an_objection_after_the_deadline_is_flagged_not_applied():
    # DOMAIN.md "More finer rules": a late objection is recorded and flagged for legal review.
    late = notified(objected_on=DEADLINE + timedelta(days=1))
    today = DEADLINE + timedelta(days=2)
    assert engagement_status(late, dpa(), today) == "authorised"
    result = assess_engagement(today=today, on_list_at_signing=False, notified_on=NOTIFIED_ON,
                               objected_on=DEADLINE + timedelta(days=1))
    finding = only(result, "engagement_late")
    assert finding.severity is Severity.AMBER
    in_time = notified(objected_on=DEADLINE)
    assert engagement_status(in_time, dpa(), today) == "objected"


def test_a_written_approval_without_its_document_is_amber():
    # DOMAIN.md "More finer rules": a written approval needs its document.
    result = assess_engagement(dpas=(SPECIFIC,), on_list_at_signing=False,
                               approved_on=date(2026, 3, 1), approval_documented=False)
    assert codes(result) == ["engagement_approval_undocumented"]
    documented = assess_engagement(dpas=(SPECIFIC,), on_list_at_signing=False,
                                   approved_on=date(2026, 3, 1))
    assert codes(documented) == []


def test_a_scope_all_notice_runs_for_each_controllers_own_period():
    scope_all = notified(controller_id=None, objection_deadline=date(2026, 3, 1))
    assert objection_deadline(scope_all, dpa(objection_period_days=14), TODAY) == date(2026, 3, 6)


def test_under_specific_authorisation_notice_alone_never_authorises():
    assert objection_deadline(notified(), SPECIFIC, TODAY) is None
    assert engagement_status(notified(), SPECIFIC, date(2027, 1, 1)) == "notified"


def test_without_a_dpa_that_authorises_nothing_is_authorised():
    # DOMAIN.md "More finer rules": an expired or terminated DPA authorises nothing.
    assert engagement_status(notified(), None, date(2027, 1, 1)) == "unauthorised"
    assert engagement_status(engagement(), None, TODAY) == "unauthorised"
    expired = dpa(expires_on=TODAY - timedelta(days=1))
    assert engagement_status(engagement(), expired, TODAY) == "unauthorised"
    assert engagement_status(notified(notified_on=None), None, TODAY) == "proposed"


def test_facts_dated_after_today_have_not_happened_yet():
    later = notified(withdrawn_on=TODAY + timedelta(days=1), objected_on=TODAY + timedelta(days=1))
    assert engagement_status(later, dpa(), TODAY) == "notified"
    assert engagement_status(notified(), dpa(), NOTIFIED_ON - timedelta(days=1)) == "proposed"


def test_a_running_objection_period_is_amber_and_red_while_the_subcontractor_is_active():
    result = assess_engagement(on_list_at_signing=False, notified_on=NOTIFIED_ON)
    assert codes(result) == ["engagement_unauthorised", "engagement_objection_period"]
    period = only(result, "engagement_objection")
    assert (period.severity, period.due_on, period.subject_type, period.subject_id) == (
        Severity.AMBER,
        DEADLINE,
        "engagement",
        1000,
    )
    assert (period.controller_id, period.subcontractor_id, period.area) == (1, 10, "engagements")
    assert period.message == "Objection period for Cloudy Oy for Acme Oy runs until 2026-03-22"
    assert result.engagement_status == {1000: "notified"}


def test_a_running_objection_period_for_a_proposed_subcontractor_is_only_amber():
    result = assess_engagement(
        subcontractor_status="proposed", on_list_at_signing=False, notified_on=NOTIFIED_ON
    )
    assert codes(result) == ["engagement_objection_period"]


def test_an_elapsed_objection_period_is_green():
    result = assess_engagement(
        DEADLINE + timedelta(days=1), on_list_at_signing=False, notified_on=NOTIFIED_ON
    )
    assert result.findings == ()
    assert result.engagement_status == {1000: "authorised"}


def test_specific_authorisation_awaits_written_approval():
    result = assess_engagement(
        dpas=(SPECIFIC,),
        on_list_at_signing=False,
        notified_on=NOTIFIED_ON,
        objection_deadline=date(2026, 3, 31),
    )
    period = only(result, "engagement_objection")
    assert period.message == "Cloudy Oy for Acme Oy is awaiting written approval"
    assert period.due_on == date(2026, 3, 31)
    assert "engagement_unauthorised" in codes(result)
    approved = assess_engagement(
        dpas=(SPECIFIC,), on_list_at_signing=False, notified_on=NOTIFIED_ON, approved_on=TODAY
    )
    assert approved.findings == ()


def test_an_objection_is_red_and_not_also_unauthorised():
    result = assess_engagement(
        on_list_at_signing=False, notified_on=NOTIFIED_ON, objected_on=date(2026, 3, 2)
    )
    finding = only(result, "engagement_")
    assert (finding.code, finding.severity) == ("engagement_objected", Severity.RED)
    assert finding.message == "Acme Oy objected to Cloudy Oy on 2026-03-02"


def test_an_active_subcontractor_without_any_notice_is_unauthorised():
    result = assess_engagement(on_list_at_signing=False, proposed_on=date(2026, 3, 1))
    assert codes(result) == ["engagement_unauthorised"]
    assert result.findings[0].message == (
        "Cloudy Oy is active but not authorised for Acme Oy (engagement proposed)"
    )


def test_a_proposed_engagement_of_a_proposed_subcontractor_needs_nothing_yet():
    result = assess_engagement(subcontractor_status="proposed", on_list_at_signing=False)
    assert result.findings == ()


def test_a_withdrawn_engagement_is_silent():
    result = assess_engagement(on_list_at_signing=False, withdrawn_on=date(2026, 3, 1))
    # Only the subcontractor's return or deletion of the data is due (issue 15).
    assert [finding.code for finding in result.findings] == ["return_or_deletion_due"]
    assert result.engagement_status == {1000: "withdrawn"}


def test_an_ended_controllers_engagements_are_silent():
    facts = registry(
        controllers=(controller(status="ended"),),
        engagements=(engagement(on_list_at_signing=False),),
    )
    result = assess(facts, TODAY)
    assert result.findings == ()
    assert result.engagement_status == {1000: "proposed"}


def test_an_offboarded_subcontractors_engagements_are_silent():
    result = assess_engagement(subcontractor_status="offboarded", on_list_at_signing=False)
    assert result.findings == ()


def test_a_scope_all_engagement_is_evaluated_per_active_controller():
    facts = registry(
        controllers=(
            controller(id=1, name="Acme Oy"),
            controller(id=2, name="Beta Oy"),
            controller(id=3, name="Gamma Oy", status="ended"),
            controller(id=4, name="Delta Oy"),
        ),
        dpas=(
            dpa(id=1, controller_id=1),
            dpa(id=2, controller_id=2, subprocessor_authorisation="specific"),
            dpa(id=4, controller_id=4, objection_period_days=10),
        ),
        engagements=(notified(controller_id=None, notified_on=date(2026, 2, 25)),),
    )
    result = assess(facts, TODAY)
    assert result.engagement_status == {
        (1000, 1): "notified",
        (1000, 2): "notified",
        (1000, 4): "authorised",
        1000: "notified",
    }
    engagement_findings = [f for f in result.findings if f.area == "engagements"]
    assert sorted((f.controller_id, f.code) for f in engagement_findings) == [
        (1, "engagement_objection_period"),
        (1, "engagement_unauthorised"),
        (2, "engagement_objection_period"),
        (2, "engagement_unauthorised"),
    ]
    assert result.controller_status == {
        1: Severity.RED,
        2: Severity.RED,
        3: Severity.GREEN,
        4: Severity.GREEN,
    }
