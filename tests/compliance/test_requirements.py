"""Requirement groups: which apply to a subcontractor, and the matrix of how each stands."""

from datetime import date, timedelta

from registry.compliance import RequirementStatus, Severity, assess
from tests.compliance.builders import TODAY, attestation, codes, only, registry, subcontractor


def matrix_for(*attestations, **subcontractor_overrides):
    facts = registry(
        subcontractors=(subcontractor(**subcontractor_overrides),), attestations=attestations
    )
    result = assess(facts, TODAY)
    return result, {status.group_key: status for status in result.requirement_matrix[10]}


def test_a_high_tier_subcontractor_needs_every_group_of_its_tier():
    result, matrix = matrix_for(risk_tier="high")
    assert sorted(matrix) == ["pentest", "security_high"]
    assert codes(result) == ["requirement_missing:pentest", "requirement_missing:security_high"]
    finding = only(result, "requirement_missing:pentest")
    assert (finding.severity, finding.subject_type, finding.subject_id, finding.area) == (
        Severity.RED,
        "subcontractor",
        10,
        "subcontractors",
    )
    assert finding.message == "Cloudy Oy has no accepted attestation for a penetration test report"


def test_handling_card_data_adds_the_card_data_group():
    _, matrix = matrix_for(handles_card_data=True)
    assert sorted(matrix) == ["card_data", "questionnaire"]


def test_any_one_type_of_a_group_satisfies_it():
    report = attestation(
        type_code="isae3402_type2",
        period_end=date(2026, 1, 31),
        issued_on=date(2026, 2, 15),
    )
    result, matrix = matrix_for(report, risk_tier="medium")
    assert result.findings == ()
    assert matrix["security_medium"] == RequirementStatus(
        "security_medium",
        "ISO 27001, SOC 2 Type II or ISAE 3402 Type II",
        100,
        date(2026, 4, 29),  # a bridge letter is needed from 31 Jan + 3 months = 30 Apr
        "expiring",
    )


def test_the_latest_current_attestation_is_the_one_that_satisfies():
    older = attestation(id=100, type_code="iso27001", valid_until=TODAY + timedelta(days=30),
                        standard_version="2022")
    newer = attestation(id=101, type_code="iso27001", valid_until=TODAY + timedelta(days=900),
                        standard_version="2022")
    _, matrix = matrix_for(older, newer, risk_tier="medium")
    assert matrix["security_medium"].satisfied_by == 101
    assert matrix["security_medium"].state == "ok"


def test_an_expired_group_keeps_the_day_its_last_match_lapsed():
    lapsed = attestation(valid_until=date(2026, 1, 31))
    result, matrix = matrix_for(lapsed)
    assert matrix["questionnaire"] == RequirementStatus(
        "questionnaire", "a security questionnaire", None, date(2026, 1, 31), "expired"
    )
    finding = only(result, "requirement_expired")
    assert finding.code == "requirement_expired:questionnaire"
    assert finding.message == (
        "Cloudy Oy has no current attestation for a security questionnaire "
        "(the last one lapsed on 2026-01-31)"
    )


def test_a_pending_match_leaves_the_group_missing_not_expired():
    _, matrix = matrix_for(attestation(review="pending"))
    assert matrix["questionnaire"].state == "missing"


def test_an_attestation_of_another_subcontractor_does_not_count():
    _, matrix = matrix_for(attestation(subcontractor_id=99))
    assert matrix["questionnaire"].state == "missing"
