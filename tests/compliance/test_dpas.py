"""The DPA rules: which DPA is current, and what is wrong or due about it."""

from datetime import date, timedelta

import pytest

from registry.compliance import Severity, assess, clauses_from_mapping, current_dpa
from tests.compliance.builders import TODAY, codes, controller, dpa, only, registry


def assess_dpas(*dpas, horizon_days=60, controllers=None):
    return assess(
        registry(dpas=dpas, controllers=controllers or (controller(),)), TODAY, horizon_days
    )


def test_no_signed_dpa_is_red_dpa_missing_about_the_controller():
    finding = only(assess_dpas(dpa(status="draft")), "dpa_")
    assert (finding.code, finding.severity) == ("dpa_missing", Severity.RED)
    assert (finding.subject_type, finding.subject_id, finding.controller_id) == ("controller", 1, 1)
    assert finding.message == "Acme Oy has no signed DPA in force"


def test_a_signed_dpa_that_starts_later_is_not_current_and_the_message_says_when_it_starts():
    finding = only(assess_dpas(dpa(version=2, effective_from=date(2026, 4, 1))), "dpa_")
    assert finding.code == "dpa_missing"
    assert "DPA v2 starts on 2026-04-01" in finding.message


@pytest.mark.parametrize("status", ["terminated", "superseded", "draft"])
def test_only_a_signed_dpa_can_be_current(status):
    assert codes(assess_dpas(dpa(status=status))) == ["dpa_missing"]


def test_a_signed_dpa_with_a_past_termination_date_is_not_current():
    assert codes(assess_dpas(dpa(terminated_on=TODAY))) == ["dpa_missing"]
    assert codes(assess_dpas(dpa(terminated_on=TODAY + timedelta(days=1)))) == []


def test_the_highest_signed_version_in_force_is_current():
    incomplete = clauses_from_mapping({"confidentiality": True})
    old = dpa(id=1, version=1, clauses=incomplete)
    new = dpa(id=2, version=2)
    draft = dpa(id=3, version=3, status="draft", clauses=incomplete)
    assert current_dpa([old, new, draft], TODAY) == new
    assert codes(assess_dpas(old, new, draft)) == []


def test_an_open_ended_dpa_never_expires():
    assert codes(assess_dpas(dpa(expires_on=None))) == []


def test_a_dpa_expiring_today_is_amber_and_still_current():
    finding = only(assess_dpas(dpa(expires_on=TODAY)), "dpa_")
    assert (finding.code, finding.severity, finding.due_on) == (
        "dpa_expiring",
        Severity.AMBER,
        TODAY,
    )
    assert finding.message == "DPA v1 with Acme Oy expires on 2026-03-11"


def test_a_dpa_that_expired_yesterday_is_red():
    finding = only(assess_dpas(dpa(version=2, expires_on=TODAY - timedelta(days=1))), "dpa_")
    assert (finding.code, finding.severity) == ("dpa_expired", Severity.RED)
    assert (finding.subject_type, finding.subject_id) == ("dpa", 1)
    assert finding.message == "DPA v2 with Acme Oy expired on 2026-03-10"


def test_expiry_exactly_at_the_horizon_is_amber_and_one_day_later_is_green():
    assert codes(assess_dpas(dpa(expires_on=TODAY + timedelta(days=60)))) == ["dpa_expiring"]
    assert codes(assess_dpas(dpa(expires_on=TODAY + timedelta(days=61)))) == []


def test_the_horizon_is_a_parameter():
    expiring = dpa(expires_on=TODAY + timedelta(days=20))
    assert codes(assess_dpas(expiring, horizon_days=30)) == ["dpa_expiring"]
    assert codes(assess_dpas(expiring, horizon_days=7)) == []


def test_each_missing_clause_is_a_red_finding_naming_the_clause():
    clauses = clauses_from_mapping(
        {
            "documented_instructions": True,
            "security_art32": True,
            "data_subject_rights": True,
            "assist_art32_36": True,
            "deletion_or_return": True,
            "audits_and_information": True,
        }
    )
    result = assess_dpas(dpa(clauses=clauses))
    assert codes(result) == [
        "dpa_clause_missing:confidentiality",
        "dpa_clause_missing:subprocessor_conditions",
    ]
    assert result.findings[0].severity is Severity.RED
    assert result.findings[0].message == (
        "DPA v1 with Acme Oy lacks clause (b) confidentiality of authorised persons"
    )


def test_a_dpa_with_no_checklist_lacks_all_eight_clauses():
    assert len(assess_dpas(dpa(clauses=())).findings) == 8


def test_missing_clauses_are_listed_from_a_to_h_as_the_checklist_reads():
    assessment = assess_dpas(dpa(clauses=()))
    letters = [finding.message.split("lacks clause (")[1][0] for finding in assessment.findings]
    assert letters == list("abcdefgh")
    assert assessment.findings_for_controller(1) == assessment.findings


def test_a_passed_review_date_is_amber():
    assert codes(assess_dpas(dpa(review_due_on=TODAY))) == []
    finding = only(assess_dpas(dpa(review_due_on=TODAY - timedelta(days=1))), "dpa_")
    assert (finding.code, finding.severity) == ("dpa_review_due", Severity.AMBER)


def test_an_ended_controller_produces_no_dpa_findings():
    result = assess_dpas(controllers=(controller(status="ended"),))
    assert result.findings == ()
    assert result.controller_status == {1: Severity.GREEN}


def test_clause_mappings_reject_unknown_keys():
    with pytest.raises(ValueError, match="confidentality"):
        clauses_from_mapping({"confidentality": True})
