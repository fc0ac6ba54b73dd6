"""How long an attestation counts, and the findings about attestations."""

from datetime import date, timedelta

import pytest

from registry.compliance import (
    RequirementGroupFacts,
    Severity,
    assess,
    attestation_counts_until,
    attestation_valid_until,
    bridge_letter_needed_from,
)
from tests.compliance.builders import (
    TODAY,
    TYPES,
    attestation,
    codes,
    only,
    registry,
    subcontractor,
)

DAY = timedelta(days=1)
PERIOD_END = date(2025, 6, 30)
SOC2_CURRENT_UNTIL = date(2026, 6, 30)  # period end + 12 months
BRIDGE_NEEDED_FROM = date(2025, 9, 30)  # period end + 3 months


def soc2(**overrides):
    defaults = {
        "type_code": "soc2_type2",
        "period_start": date(2024, 7, 1),
        "period_end": PERIOD_END,
        "issued_on": date(2025, 8, 15),
        "bridge_letter_until": date(2026, 12, 31),
    }
    return attestation(**{**defaults, **overrides})


def assess_medium(today, *attestations, **subcontractor_overrides):
    """Assess one medium-tier subcontractor, which needs ISO 27001 or a Type II report."""
    facts = registry(
        subcontractors=(subcontractor(risk_tier="medium", **subcontractor_overrides),),
        attestations=attestations,
    )
    return assess(facts, today)


def test_a_stated_valid_until_wins_over_the_default():
    stated = attestation(valid_until=date(2026, 2, 1))
    assert attestation_valid_until(stated, TYPES["security_questionnaire"]) == date(2026, 2, 1)


def test_without_a_stated_date_the_default_runs_from_the_types_basis():
    questionnaire = attestation(issued_on=date(2025, 1, 31))
    assert attestation_valid_until(questionnaire, TYPES["security_questionnaire"]) == date(
        2026, 1, 31
    )
    report = soc2(issued_on=date(2025, 1, 1))
    assert attestation_valid_until(report, TYPES["soc2_type2"]) == SOC2_CURRENT_UNTIL


def test_without_a_stated_end_or_a_default_it_cannot_be_dated():
    # DOMAIN.md "More finer rules": evidence whose validity cannot be computed satisfies nothing.
    policy = attestation(type_code="cyber_insurance", issued_on=None)
    assert attestation_valid_until(policy, TYPES["cyber_insurance"]) is None


@pytest.mark.parametrize("type_code, missing", [
    ("soc2_type2", {"period_end": None}),  # a Type II report without the period it covers
    ("pentest_report", {"issued_on": None}),  # a pen test without its report date
])
def test_evidence_without_the_date_its_validity_counts_from_satisfies_nothing(type_code, missing):
    # DOMAIN.md "More finer rules"; GDPR-REFERENCE.md 5: validity counts from these dates.
    undated = attestation(type_code=type_code, valid_until=date(2027, 1, 1), **missing)
    assert attestation_valid_until(undated, TYPES[type_code]) is None
    group = RequirementGroupFacts(key="evidence", label="Evidence", tier="low",
                                  applies_to_card_data=False, type_codes=(type_code,))
    facts = registry(subcontractors=(subcontractor(),), attestations=(undated,),
                     requirement_groups=(group,))
    assert codes(assess(facts, TODAY)) == ["requirement_missing:evidence", "attestation_undatable"]


def test_a_stated_end_never_extends_the_types_maximum():
    # DOMAIN.md "More finer rules": a pen test counts 12 months from its report date at most.
    report = attestation(type_code="pentest_report", issued_on=date(2026, 1, 10),
                         valid_until=date(2028, 1, 1))
    assert attestation_valid_until(report, TYPES["pentest_report"]) == date(2027, 1, 10)


@pytest.mark.parametrize("version", [None, "", "2013", "2017", "EN ISO/IEC 27001:2017"])
def test_only_a_2022_edition_iso_27001_certificate_counts_after_october_2025(version):
    # GDPR-REFERENCE.md 5 and rule 14: 2013-edition certificates lapsed on 31 Oct 2025;
    # EN ISO/IEC 27001:2017 is the 2013 text.
    old = attestation(type_code="iso27001", issued_on=date(2025, 3, 1), standard_version=version)
    assert attestation_valid_until(old, TYPES["iso27001"]) == date(2025, 10, 31)
    new = attestation(type_code="iso27001", issued_on=date(2025, 3, 1), standard_version="2022")
    assert attestation_valid_until(new, TYPES["iso27001"]) == date(2028, 3, 1)


def test_evidence_issued_after_the_day_asked_does_not_count_on_it():
    # DOMAIN.md "Effective dating": evidence issued after D does not count on D.
    group = RequirementGroupFacts(key="questionnaire", label="Questionnaire", tier="low",
                                  applies_to_card_data=False,
                                  type_codes=("security_questionnaire",))
    issued = date(2026, 3, 11)
    facts = registry(subcontractors=(subcontractor(),), requirement_groups=(group,),
                     attestations=(attestation(issued_on=issued),))
    assert codes(assess(facts, issued - DAY)) == ["requirement_missing:questionnaire"]
    assert codes(assess(facts, issued)) == []


def test_month_arithmetic_clamps_to_the_end_of_february():
    report = soc2(period_end=date(2025, 2, 28))
    assert attestation_valid_until(report, TYPES["soc2_type2"]) == date(2026, 2, 28)
    certificate = attestation(type_code="iso27001", issued_on=date(2024, 2, 29),
                              standard_version="2022")
    assert attestation_valid_until(certificate, TYPES["iso27001"]) == date(2027, 2, 28)


def test_a_type_ii_report_never_counts_past_period_end_plus_12_months():
    report = soc2(valid_until=date(2027, 6, 30))
    assert attestation_valid_until(report, TYPES["soc2_type2"]) == SOC2_CURRENT_UNTIL


@pytest.mark.parametrize("type_code", ["iso27001", "iso27701"])
def test_an_iso_2013_certificate_lapsed_on_31_october_2025(type_code):
    certificate = attestation(
        type_code=type_code, standard_version="2013", valid_until=date(2027, 5, 1)
    )
    assert attestation_valid_until(certificate, TYPES[type_code]) == date(2025, 10, 31)
    current = attestation(
        type_code=type_code, standard_version="2022", valid_until=date(2027, 5, 1)
    )
    assert attestation_valid_until(current, TYPES[type_code]) == date(2027, 5, 1)


def test_a_type_ii_report_counts_until_the_bridge_letter_ends():
    report = soc2(bridge_letter_until=date(2025, 12, 31))
    assert bridge_letter_needed_from(report, TYPES["soc2_type2"]) == BRIDGE_NEEDED_FROM
    assert attestation_counts_until(report, TYPES["soc2_type2"]) == date(2025, 12, 31)
    unbridged = soc2(bridge_letter_until=None)
    assert attestation_counts_until(unbridged, TYPES["soc2_type2"]) == BRIDGE_NEEDED_FROM - DAY


def test_a_type_ii_report_is_current_on_period_end_plus_12_months():
    result = assess_medium(SOC2_CURRENT_UNTIL, soc2())
    assert codes(result) == ["attestation_expiring"]
    assert result.requirement_matrix[10][0].state == "expiring"
    assert result.requirement_matrix[10][0].satisfied_by == 100


def test_a_type_ii_report_is_expired_one_day_after_period_end_plus_12_months():
    result = assess_medium(SOC2_CURRENT_UNTIL + DAY, soc2())
    assert codes(result) == ["attestation_expired", "requirement_expired:security_medium"]
    assert result.subcontractor_status[10] is Severity.RED


def test_a_type_ii_report_needs_no_bridge_letter_in_its_first_three_months():
    result = assess_medium(BRIDGE_NEEDED_FROM - DAY, soc2(bridge_letter_until=None))
    assert codes(result) == []
    assert result.requirement_matrix[10][0].state == "expiring"


def test_a_type_ii_report_without_a_bridge_letter_stops_counting_after_three_months():
    result = assess_medium(BRIDGE_NEEDED_FROM, soc2(bridge_letter_until=None))
    assert codes(result) == [
        "requirement_expired:security_medium",
        "attestation_bridge_letter_needed",
    ]
    bridge = only(result, "attestation_bridge")
    assert (bridge.severity, bridge.due_on, bridge.subject_type) == (
        Severity.AMBER,
        BRIDGE_NEEDED_FROM,
        "attestation",
    )


def test_a_bridge_letter_counts_through_its_last_day():
    today = date(2026, 1, 15)
    # Its end is within the horizon, so it is also flagged amber (DOMAIN.md "More finer rules").
    assert codes(assess_medium(today, soc2(bridge_letter_until=today))) == [
        "attestation_bridge_letter_expiring"]
    assert codes(assess_medium(today, soc2(bridge_letter_until=today - DAY))) == [
        "requirement_expired:security_medium",
        "attestation_bridge_letter_needed",
    ]


def test_a_type_i_report_never_satisfies_a_requirement():
    report = attestation(type_code="soc2_type1", issued_on=date(2026, 1, 10))
    result = assess_medium(TODAY, report)
    assert codes(result) == ["requirement_missing:security_medium"]


def test_an_iso_2013_certificate_no_longer_satisfies_after_the_transition():
    certificate = attestation(
        type_code="iso27001", standard_version="2013", issued_on=date(2024, 5, 1),
        valid_until=date(2027, 5, 1)
    )
    assert codes(assess_medium(date(2025, 10, 31), certificate)) == ["attestation_expiring"]
    assert codes(assess_medium(date(2025, 11, 1), certificate)) == [
        "attestation_expired",
        "requirement_expired:security_medium",
    ]


def test_a_pending_attestation_is_amber_and_does_not_satisfy():
    pending = attestation(type_code="iso27001", review="pending", issued_on=date(2026, 1, 1))
    result = assess_medium(TODAY, pending)
    assert codes(result) == ["requirement_missing:security_medium", "attestation_awaiting_review"]
    finding = only(result, "attestation_awaiting")
    assert (finding.severity, finding.subject_id, finding.subcontractor_id) == (
        Severity.AMBER,
        100,
        10,
    )
    assert finding.message == "ISO/IEC 27001 of Cloudy Oy awaits review"


def test_a_rejected_attestation_is_ignored_entirely():
    rejected = attestation(type_code="iso27001", review="rejected", issued_on=date(2020, 1, 1))
    assert codes(assess_medium(TODAY, rejected)) == ["requirement_missing:security_medium"]


def test_an_accepted_attestation_expiring_today_is_amber_and_still_satisfies():
    result = assess(registry(attestations=(attestation(valid_until=TODAY),)), TODAY)
    finding = only(result, "attestation_")
    assert (finding.code, finding.severity, finding.due_on) == (
        "attestation_expiring",
        Severity.AMBER,
        TODAY,
    )
    assert finding.message == "Security questionnaire of Cloudy Oy expires on 2026-03-11"
    assert result.requirement_matrix[10][0].state == "expiring"


def test_an_accepted_attestation_that_expired_yesterday_is_red():
    result = assess(registry(attestations=(attestation(valid_until=TODAY - DAY),)), TODAY)
    assert codes(result) == ["attestation_expired", "requirement_expired:questionnaire"]


def test_an_attestation_expiring_at_the_horizon_is_amber_and_one_day_later_green():
    at_horizon = attestation(valid_until=TODAY + timedelta(days=60))
    assert codes(assess(registry(attestations=(at_horizon,)), TODAY)) == ["attestation_expiring"]
    after = attestation(valid_until=TODAY + timedelta(days=61))
    assert codes(assess(registry(attestations=(after,)), TODAY)) == []


def test_an_outdated_attestation_is_not_reported():
    old = attestation(id=100, valid_until=TODAY - timedelta(days=300))
    new = attestation(id=101, valid_until=TODAY + timedelta(days=300))
    result = assess(registry(attestations=(old, new)), TODAY)
    assert result.findings == ()
    assert result.requirement_matrix[10][0].satisfied_by == 101


def test_of_two_equally_valid_attestations_only_one_is_reported():
    twins = (attestation(id=100, valid_until=TODAY), attestation(id=101, valid_until=TODAY))
    result = assess(registry(attestations=twins), TODAY)
    assert [(f.code, f.subject_id) for f in result.findings] == [("attestation_expiring", 101)]


def test_an_offboarded_subcontractors_attestations_are_not_reported():
    facts = registry(
        subcontractors=(subcontractor(status="offboarded"),),
        attestations=(attestation(valid_until=TODAY - DAY), attestation(id=101, review="pending")),
    )
    result = assess(facts, TODAY)
    assert result.findings == ()
    assert result.requirement_matrix[10] == ()
