"""The presentation helpers shared by every report (pure, no database)."""

from datetime import date

import pytest

from registry.compliance import DpaFacts, EngagementFacts, clauses_from_mapping
from registry.reports.data.common import authorisation_basis, clause_summary, dpa_name

TODAY = date(2026, 11, 25)


def dpa(**overrides):
    values = {"id": 1, "controller_id": 1, "version": 2, "title": "DPA", "status": "signed",
              "subprocessor_authorisation": "general", "signed_on": date(2026, 1, 10)}
    values.update(overrides)
    return DpaFacts(**values)


@pytest.mark.parametrize("title, expected", [
    ("Data processing agreement", "Data processing agreement, v2"),
    ("Data processing agreement v2", "Data processing agreement v2"),
    ("DPA version 2", "DPA version 2"),
    ("DPA v1", "DPA v1, v2"),
])
def test_dpa_name_never_repeats_the_version(title, expected):
    assert dpa_name(dpa(title=title)) == expected


def test_clause_summary_names_the_missing_letters():
    assert clause_summary(clauses_from_mapping({})) == "0/8, missing (a), (b), (c), (d), (e), " \
                                                       "(f), (g), (h)"
    flags = clauses_from_mapping({"documented_instructions": True, "confidentiality": True,
                                  "security_art32": True, "subprocessor_conditions": True,
                                  "data_subject_rights": True, "assist_art32_36": True,
                                  "audits_and_information": True})
    assert clause_summary(flags) == "7/8, missing (g)"


def engagement(**overrides):
    values = {"id": 1, "subcontractor_id": 1, "controller_id": 1}
    values.update(overrides)
    return EngagementFacts(**values)


def test_authorisation_basis_names_the_fact_that_authorised():
    listed = engagement(on_list_at_signing=True)
    assert authorisation_basis(listed, dpa(), "authorised", TODAY) == (
        date(2026, 1, 10), "listed in the DPA at signing")
    approved = engagement(notified_on=date(2026, 3, 1), approved_on=date(2026, 3, 5))
    assert authorisation_basis(approved, dpa(), "authorised", TODAY) == (
        date(2026, 3, 5), "written approval")
    silent = engagement(notified_on=date(2026, 3, 1))
    assert authorisation_basis(silent, dpa(), "authorised", TODAY) == (
        date(2026, 4, 1), "no objection by 2026-03-31")
    assert authorisation_basis(silent, dpa(), "notified", date(2026, 3, 10)) == (None, "")


def test_a_re_signed_version_keeps_the_day_a_listed_sub_processor_was_first_authorised():
    # DOMAIN.md "Effective dating": the first day of continuous authorisation survives new
    # DPA versions that keep it.
    listed = engagement(on_list_at_signing=True)
    first = dpa(id=1, version=1, status="superseded", signed_on=date(2024, 2, 1),
                effective_from=date(2024, 2, 1))
    second = dpa(id=2, version=2, signed_on=date(2026, 1, 10), effective_from=date(2026, 1, 10))
    assert authorisation_basis(listed, second, "authorised", TODAY, (first, second)) == (
        date(2024, 2, 1), "listed in the DPA at signing")
    gap = dpa(id=1, version=1, status="terminated", signed_on=date(2024, 2, 1),
              effective_from=date(2024, 2, 1), terminated_on=date(2025, 6, 30))
    assert authorisation_basis(listed, second, "authorised", TODAY, (gap, second)) == (
        date(2026, 1, 10), "listed in the DPA at signing")
