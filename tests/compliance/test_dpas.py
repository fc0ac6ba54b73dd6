"""The DPA rules: which DPA is current, and what is wrong or due about it."""

from datetime import date, timedelta

import pytest

from registry.compliance import (
    DESCRIPTION_ELEMENTS,
    Severity,
    assess,
    clauses_from_mapping,
    current_dpa,
)
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


# Without a DPA in force nothing authorises the engagement the registry builder includes: it is
# unauthorised too (DOMAIN.md "More finer rules": an expired or terminated DPA authorises nothing).
NO_DPA = ["dpa_missing", "engagement_unauthorised"]
# The contract ended: we and the subcontractor holding the data return or delete it (issue 15).
ENDED = ["return_or_deletion_due", "return_or_deletion_due"]


@pytest.mark.parametrize("status", ["terminated", "superseded", "draft"])
def test_only_a_signed_dpa_can_be_current(status):
    # A terminated DPA without a date ended at once; a superseded one with no successor on
    # record binds nothing.
    assert codes(assess_dpas(dpa(status=status))) == NO_DPA


def test_a_signed_dpa_with_a_past_termination_date_is_not_current():
    assert codes(assess_dpas(dpa(terminated_on=TODAY))) == [*NO_DPA, *ENDED]
    assert codes(assess_dpas(dpa(terminated_on=TODAY + timedelta(days=1)))) == []


@pytest.mark.parametrize("status", ["terminated", "superseded"])
def test_a_dpa_terminated_or_superseded_after_the_day_asked_was_in_force_on_it(status):
    # DOMAIN.md "Effective dating": a DPA terminated after D still binds on D.
    ended = dpa(id=1, status=status, terminated_on=TODAY + timedelta(days=1))
    successor = dpa(id=2, version=2, effective_from=TODAY + timedelta(days=1),
                    signed_on=TODAY + timedelta(days=1))
    assert codes(assess_dpas(ended, successor)) == []
    assert current_dpa([ended, successor], TODAY) == ended
    assert current_dpa([ended, successor], TODAY + timedelta(days=1)) == successor


@pytest.mark.parametrize("signed_on", [None, TODAY + timedelta(days=1)])
def test_a_signed_dpa_without_a_past_signing_date_is_not_in_force(signed_on):
    # GDPR Art. 28(3), (9): a contract in writing binds once signed; D-1 of signing it did not.
    assert codes(assess_dpas(dpa(signed_on=signed_on))) == NO_DPA
    assert codes(assess_dpas(dpa(signed_on=TODAY))) == []


def test_an_expired_dpa_stays_current_and_authorises_nothing():
    # DOMAIN.md "More finer rules": an expired DPA authorises nothing.
    expired = dpa(expires_on=TODAY - timedelta(days=1))
    assert codes(assess_dpas(expired)) == ["dpa_expired", "engagement_unauthorised", *ENDED]
    assert codes(assess_dpas(dpa(expires_on=TODAY))) == ["dpa_expiring"]


@pytest.mark.parametrize("element, label", [
    ("subject_matter", "subject matter"), ("duration", "duration"),
    ("nature_and_purpose", "nature and purpose"),
    ("personal_data_types", "type of personal data"),
    ("data_subject_categories", "categories of data subjects"),
])
def test_a_dpa_missing_an_element_of_the_art_28_3_description_is_red(element, label):
    # GDPR Art. 28(3) first sentence.
    description = tuple((key, key != element) for key, _ in DESCRIPTION_ELEMENTS)
    finding = only(assess_dpas(dpa(description=description)), "dpa_description")
    assert finding.severity is Severity.RED
    assert finding.message == f"DPA v1 with Acme Oy does not set out its {label} (Art. 28(3))"


def test_a_signed_dpa_without_its_signed_copy_is_amber():
    # DOMAIN.md "More finer rules": a signed DPA without its signed document is amber.
    finding = only(assess_dpas(dpa(document_attached=False)), "dpa_document")
    assert finding.severity is Severity.AMBER


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
