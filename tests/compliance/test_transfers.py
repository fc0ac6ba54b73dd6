"""Transfers outside the EEA need a mechanism that covers every country involved."""

from datetime import date, timedelta

import pytest

from registry.compliance import EEA_COUNTRIES, AdequacyFacts, Severity, assess
from tests.compliance.builders import (
    ADEQUACY,
    TODAY,
    attestation,
    codes,
    only,
    registry,
    subcontractor,
)

DAY = timedelta(days=1)


def assess_transfer(adequacy=ADEQUACY, **overrides):
    facts = registry(subcontractors=(subcontractor(**overrides),), adequacy=adequacy)
    return assess(facts, TODAY)


def test_the_eea_is_the_eu_27_plus_iceland_liechtenstein_and_norway():
    assert len(EEA_COUNTRIES) == 30
    assert {"FI", "SE", "IS", "LI", "NO"} <= EEA_COUNTRIES
    assert not {"GB", "CH", "US"} & EEA_COUNTRIES


def test_processing_inside_the_eea_needs_no_mechanism():
    assert codes(assess_transfer(country="DE", processing_countries=("FI", "NO"))) == []


def test_processing_outside_the_eea_without_a_mechanism_is_red():
    finding = only(assess_transfer(processing_countries=("FI", "IN", "US")), "transfer_")
    assert (finding.code, finding.severity, finding.subject_id) == (
        "transfer_mechanism_missing",
        Severity.RED,
        10,
    )
    assert finding.message == "Cloudy Oy processes data in IN, US without a transfer mechanism"


def test_the_home_country_counts_as_a_processing_location():
    assert codes(assess_transfer(country="us")) == ["transfer_mechanism_missing"]


def test_2010_sccs_are_invalid():
    finding = only(assess_transfer(country="IN", transfer_mechanism="scc_2010"), "transfer_")
    assert finding.code == "transfer_mechanism_invalid"
    assert "27 Dec 2022" in finding.message


def test_2021_sccs_need_a_transfer_impact_assessment_dated_by_the_day_asked():
    # GDPR-REFERENCE.md 4 (Schrems II TIA); DOMAIN.md: a TIA dated after D does not exist on D.
    module = "scc_2021_m3"
    finding = only(assess_transfer(country="IN", transfer_mechanism=module), "transfer_")
    assert finding.code == "transfer_mechanism_invalid"
    assert "transfer impact assessment missing" in finding.message
    assessed = assess_transfer(country="IN", transfer_mechanism=module, tia_on=TODAY)
    assert codes(assessed) == []
    later = assess_transfer(country="IN", transfer_mechanism=module, tia_on=TODAY + DAY)
    assert codes(later) == ["transfer_mechanism_invalid"]


def test_a_sub_processor_transfer_needs_module_3_not_module_2():
    # SCC 2021 (Decision (EU) 2021/914): module 3 is processor to processor.
    finding = only(assess_transfer(country="IN", transfer_mechanism="scc_2021_m2",
                                   tia_on=date(2025, 5, 1)), "transfer_")
    assert "needs module 3" in finding.message


def test_binding_corporate_rules_are_enough():
    assert codes(assess_transfer(country="IN", transfer_mechanism="bcr")) == []


def test_adequacy_needs_a_decision_in_force_for_each_country():
    assert (
        codes(assess_transfer(processing_countries=("GB", "CH"), transfer_mechanism="adequacy"))
        == []
    )
    finding = only(
        assess_transfer(processing_countries=("GB", "IN"), transfer_mechanism="adequacy"),
        "transfer_",
    )
    assert finding.code == "transfer_mechanism_invalid"
    assert "no adequacy decision in force for IN" in finding.message


@pytest.mark.parametrize(
    "decision",
    [
        AdequacyFacts(
            country_code="GB", decided_on=date(2021, 6, 28), valid_until=date(2026, 3, 10)
        ),
        AdequacyFacts(country_code="GB", decided_on=date(2026, 3, 12)),
    ],
    ids=["lapsed", "not-yet-decided"],
)
def test_an_adequacy_decision_must_be_in_force_today(decision):
    result = assess_transfer(adequacy=(decision,), country="GB", transfer_mechanism="adequacy")
    assert codes(result) == ["transfer_mechanism_invalid"]


def test_an_adequacy_decision_in_force_until_today_still_counts():
    decision = AdequacyFacts(country_code="gb", decided_on=date(2021, 6, 28), valid_until=TODAY)
    assert (
        codes(assess_transfer(adequacy=(decision,), country="GB", transfer_mechanism="adequacy"))
        == []
    )


def test_the_us_is_never_covered_by_adequacy_alone():
    finding = only(assess_transfer(country="US", transfer_mechanism="adequacy"), "transfer_")
    assert finding.code == "transfer_mechanism_invalid"
    assert "only through the Data Privacy Framework" in finding.message


DPF = attestation(id=101, type_code="dpf_certification", issued_on=date(2025, 9, 1),
                  valid_until=date(2026, 9, 1))


def assess_dpf(*attestations, **overrides):
    facts = registry(subcontractors=(subcontractor(transfer_mechanism="dpf", **overrides),),
                     adequacy=ADEQUACY, attestations=(attestation(), *attestations))
    return assess(facts, TODAY)


def test_the_data_privacy_framework_covers_the_us_only_with_a_current_certification():
    # GDPR-REFERENCE.md rule 10: US only via an active DPF certification of that legal entity.
    assert codes(assess_dpf(DPF, country="US")) == []
    finding = only(assess_dpf(country="US"), "transfer_")
    assert "DPF certification" in finding.message
    lapsed = attestation(id=101, type_code="dpf_certification", issued_on=date(2025, 1, 1),
                         valid_until=TODAY - DAY)
    assert codes(assess_dpf(lapsed, country="US")) == ["attestation_expired",
                                                      "transfer_mechanism_invalid"]
    pending = attestation(id=101, type_code="dpf_certification", review="pending",
                          issued_on=date(2025, 9, 1), valid_until=date(2026, 9, 1))
    assert "transfer_mechanism_invalid" in codes(assess_dpf(pending, country="US"))


def test_the_data_privacy_framework_covers_other_countries_only_with_adequacy():
    assert codes(assess_dpf(DPF, processing_countries=("US", "GB"))) == []
    finding = only(assess_dpf(DPF, processing_countries=("US", "IN")), "transfer_")
    assert finding.code == "transfer_mechanism_invalid"
    assert "covers only the US" in finding.message and "IN" in finding.message


def test_an_unknown_mechanism_is_invalid():
    result = assess_transfer(country="IN", transfer_mechanism="derogation_art49")
    assert codes(result) == ["transfer_mechanism_invalid"]
