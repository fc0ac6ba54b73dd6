"""Flow-down agreements, breach-notice promises, and how a subcontractor's status changes them."""

from datetime import date, timedelta

from registry.compliance import (
    Severity,
    SubcontractorPastFacts,
    assess,
    clauses_from_mapping,
)
from tests.compliance.builders import (
    TODAY,
    attestation,
    codes,
    controller,
    dpa,
    engagement,
    only,
    registry,
    subcontractor,
)


def assess_subcontractor(**overrides):
    return assess(registry(subcontractors=(subcontractor(**overrides),)), TODAY)


def test_no_signed_flow_down_agreement_is_red():
    finding = only(assess_subcontractor(flow_down_signed_on=None), "flow_down")
    assert (finding.code, finding.severity, finding.subject_type, finding.subcontractor_id) == (
        "flow_down_missing",
        Severity.RED,
        "subcontractor",
        10,
    )


def test_a_flow_down_agreement_missing_a_clause_is_red_per_clause():
    clauses = clauses_from_mapping(
        {
            "documented_instructions": True,
            "confidentiality": True,
            "security_art32": True,
            "data_subject_rights": True,
            "assist_art32_36": True,
            "deletion_or_return": True,
            "audits_and_information": True,
        }
    )
    finding = only(assess_subcontractor(flow_down_clauses=clauses), "flow_down")
    assert finding.code == "flow_down_clause_missing:subprocessor_conditions"
    assert finding.message == (
        "Flow-down agreement with Cloudy Oy lacks clause (d) conditions for sub-processors"
    )


def breach_registry(subcontractor_hours, *engagements, controllers=None, dpas=None):
    return registry(
        controllers=controllers or (controller(id=1), controller(id=2, name="Beta Oy")),
        dpas=dpas
        or (
            dpa(id=1, controller_id=1, breach_notice_hours=48),
            dpa(id=2, controller_id=2, breach_notice_hours=24),
        ),
        subcontractors=(subcontractor(breach_notice_hours=subcontractor_hours),),
        engagements=engagements,
    )


def test_a_breach_notice_promise_longer_than_a_served_controllers_dpa_is_red():
    facts = breach_registry(
        36, engagement(id=1, controller_id=1), engagement(id=2, controller_id=2)
    )
    finding = only(assess(facts, TODAY), "breach_")
    assert (finding.code, finding.severity) == ("breach_notice_too_long", Severity.RED)
    assert finding.message == (
        "Cloudy Oy reports breaches within 36 h, but the DPA with Beta Oy requires 24 h"
    )


def test_a_breach_notice_promise_equal_to_the_strictest_dpa_is_fine():
    facts = breach_registry(
        24, engagement(id=1, controller_id=1), engagement(id=2, controller_id=2)
    )
    assert codes(assess(facts, TODAY)) == []


def test_only_controllers_whose_data_it_processes_count():
    facts = breach_registry(36, engagement(id=1, controller_id=1))
    assert codes(assess(facts, TODAY)) == []


def test_a_withdrawn_engagement_no_longer_counts_for_breach_notice():
    withdrawn = engagement(id=2, controller_id=2, withdrawn_on=date(2026, 1, 1))
    facts = breach_registry(36, engagement(id=1, controller_id=1), withdrawn)
    # Only the return or deletion of the withdrawn engagement's data is left (issue 15).
    assert codes(assess(facts, TODAY)) == ["return_or_deletion_overdue"]


def test_a_scope_all_engagement_counts_every_active_controller():
    facts = breach_registry(36, engagement(id=1, controller_id=None))
    assert codes(assess(facts, TODAY)) == ["breach_notice_too_long"]
    ended = (controller(id=1), controller(id=2, name="Beta Oy", status="ended"))
    quiet = breach_registry(36, engagement(id=1, controller_id=None), controllers=ended)
    assert codes(assess(quiet, TODAY)) == []


def test_no_promise_on_record_is_amber_when_a_dpa_sets_hours():
    # DOMAIN.md "More finer rules": a subcontractor with no breach-notice promise is amber.
    facts = breach_registry(None, engagement(id=1, controller_id=2))
    finding = only(assess(facts, TODAY), "breach_notice")
    assert (finding.code, finding.severity) == ("breach_notice_unrecorded", Severity.AMBER)


def test_a_proposed_subcontractors_findings_are_amber():
    facts = registry(
        controllers=(controller(),),
        dpas=(dpa(breach_notice_hours=24),),
        subcontractors=(
            subcontractor(
                status="proposed",
                flow_down_signed_on=None,
                country="IN",
                breach_notice_hours=72,
            ),
        ),
        attestations=(attestation(valid_until=TODAY - timedelta(days=1)),),
        engagements=(engagement(on_list_at_signing=False, proposed_on=TODAY),),
    )
    result = assess(facts, TODAY)
    assert sorted(codes(result)) == [
        "attestation_expired",
        "breach_notice_too_long",
        "flow_down_missing",
        "requirement_expired:questionnaire",
        "transfer_mechanism_missing",
    ]
    assert {finding.severity for finding in result.findings} == {Severity.AMBER}
    assert result.subcontractor_status[10] is Severity.AMBER
    assert result.engagement_status[1000] == "proposed"


def test_an_offboarded_subcontractor_is_silent_and_green():
    result = assess_subcontractor(status="offboarded", flow_down_signed_on=None, country="US")
    assert result.findings == ()
    assert result.subcontractor_status == {10: Severity.GREEN}


def test_the_dated_facts_in_force_on_the_day_asked_are_judged():
    # DOMAIN.md "Effective dating": tier, status and transfer mechanism carry a history.
    was_low_in_finland = SubcontractorPastFacts(
        valid_until=TODAY - timedelta(days=1), status="active", risk_tier="low", country="FI",
        processing_countries=("FI",), breach_notice_hours=24)
    moved = subcontractor(risk_tier="high", country="US", processing_countries=("US",),
                          history=(was_low_in_finland,))
    facts = registry(subcontractors=(moved,))
    assert codes(assess(facts, TODAY - timedelta(days=1))) == []
    assert "transfer_mechanism_missing" in codes(assess(facts, TODAY))
    assert any(code.startswith("requirement_missing:") for code in codes(assess(facts, TODAY)))


def test_of_several_changes_on_one_day_the_first_record_holds_the_day_before():
    first = SubcontractorPastFacts(valid_until=TODAY, status="active", risk_tier="low",
                                   country="FI", breach_notice_hours=24)
    second = SubcontractorPastFacts(valid_until=TODAY, status="active", risk_tier="high",
                                    country="FI", breach_notice_hours=24)
    changed = subcontractor(risk_tier="medium", history=(first, second))
    assert changed.as_of(TODAY).risk_tier == "low"
    assert changed.as_of(TODAY + timedelta(days=1)).risk_tier == "medium"
