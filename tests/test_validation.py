"""The shared validators: one message per rule, for forms, import and the API alike."""

from dataclasses import dataclass
from datetime import date

import pytest

from registry import validation

TODAY = date(2026, 11, 25)


@dataclass(frozen=True)
class Kind:
    """The parts of an AttestationType that dating evidence reads."""

    name: str
    validity_basis: str = "issued_on"
    default_validity_months: int | None = 12
    has_stated_expiry: bool = False


PENTEST = Kind("Penetration test report")
TYPE_II = Kind("SOC 2 Type II report", validity_basis="period_end")
INSURANCE = Kind("Cyber insurance certificate", default_validity_months=None,
                 has_stated_expiry=True)


@pytest.mark.parametrize(("day", "refused"), [
    (date(2026, 11, 24), False), (TODAY, False), (date(2026, 11, 26), True),
])
def test_a_recorded_date_may_be_today_but_not_tomorrow(day, refused):
    message = validation.future_date_error("signed_on", day, TODAY)
    assert (message == "The signature date cannot be in the future.") is refused


@pytest.mark.parametrize(("expires_on", "refused"), [
    (date(2026, 1, 1), True), (date(2026, 1, 2), False),
])
def test_a_dpa_expires_after_it_comes_into_force(expires_on, refused):
    assert bool(validation.dpa_expiry_error(date(2025, 12, 1), date(2026, 1, 1),
                                            expires_on)) is refused


@pytest.mark.parametrize(("country", "business_id", "message"), [
    ("FI", "", "Enter the Y-tunnus of this Finnish company."),
    ("FI", "1572860-1", "This is not a valid Y-tunnus: check digit should be 0."),
    ("FI", "112038-9", None),
    ("FI", "1572860-0", None),
    ("SE", "", None),
])
def test_a_finnish_party_needs_a_valid_y_tunnus(country, business_id, message):
    assert validation.business_id_error(country, business_id) == message


def test_business_ids_are_stored_normalised():
    assert validation.stored_business_id("FI", " 112038-9 ") == "0112038-9"
    assert validation.stored_business_id("SE", " 556016-0680 ") == "556016-0680"
    assert validation.stored_business_id("FI", "  ") is None


@pytest.mark.parametrize(("days", "refused"), [(0, True), (1, False), (365, False),
                                                (366, True)])
def test_an_objection_period_is_at_least_a_day(days, refused):
    assert bool(validation.objection_period_error(days)) is refused


@pytest.mark.parametrize(("deadline", "period", "refused"), [
    (date(2026, 10, 31), None, True),
    (date(2026, 11, 1), None, False),
    (date(2026, 11, 30), 30, True),
    (date(2026, 12, 1), 30, False),
])
def test_the_objection_deadline_is_never_before_notice_plus_the_period(deadline, period,
                                                                       refused):
    notified_on = date(2026, 11, 1)
    assert bool(validation.objection_deadline_error(notified_on, deadline, period)) is refused


def test_termination_needs_a_return_or_deletion_choice():
    assert validation.return_or_deletion_error("terminated", None, None)
    assert validation.return_or_deletion_error("signed", date(2026, 12, 31), None)
    assert validation.return_or_deletion_error("terminated", None, "deletion") is None
    assert validation.return_or_deletion_error("signed", None, None) is None


@pytest.mark.parametrize(("kind", "dates", "field"), [
    (PENTEST, {}, "issued_on"),
    (TYPE_II, {"period_start": date(2025, 1, 1)}, "period_end"),
    (INSURANCE, {"issued_on": date(2026, 1, 1)}, "valid_until"),
])
def test_evidence_without_the_date_it_counts_from_is_refused(kind, dates, field):
    problems = validation.evidence_date_problems(kind, dates, TODAY)
    assert problems == {field: validation.missing_evidence_date_message(kind, field)}


@pytest.mark.parametrize(("valid_until", "refused"), [
    (date(2026, 3, 1), False), (date(2026, 3, 2), True),
])
def test_a_stated_expiry_never_exceeds_the_types_longest_validity(valid_until, refused):
    dates = {"issued_on": date(2025, 3, 1), "valid_until": valid_until}
    problems = validation.evidence_date_problems(PENTEST, dates, TODAY)
    assert ("valid_until" in problems) is refused
