"""Rules for security attestations: how long each one counts, and what is due about it."""

from collections.abc import Iterable
from datetime import date

from registry.compliance.dates import Horizon, add_days, add_months
from registry.compliance.facts import AttestationFacts, AttestationTypeFacts, SubcontractorFacts
from registry.compliance.findings import Finding, make_finding
from registry.compliance.messages import Phrase, say

# Certificates to ISO/IEC 27001 editions before 2022 (2013, and EN ISO/IEC 27001:2017, the same
# text) lapsed at the end of the IAF transition: after that day only the 2022 edition counts.
ISO_27001_CODE = "iso27001"
ISO_27701_CODE = "iso27701"
ISO_2013_LAPSED_ON = date(2025, 10, 31)
# A Type II report is current for 12 months after the period it covers (DOMAIN finer rules).
TYPE_II_CURRENT_MONTHS = 12


def _earliest(first: date | None, second: date | None) -> date | None:
    # None is "no end known", so it loses to any real date.
    if first is None or second is None:
        return first or second
    return min(first, second)


def validity_basis_date(
    attestation: AttestationFacts, attestation_type: AttestationTypeFacts
) -> date | None:
    """Return the date the type's validity counts from: the issue date or the period end."""
    if attestation_type.validity_basis == "issued_on":
        return attestation.issued_on
    return attestation.period_end


def attestation_valid_until(
    attestation: AttestationFacts, attestation_type: AttestationTypeFacts
) -> date | None:
    """Return the last day `attestation` is valid, or None when its validity cannot be computed.

    Evidence that cannot be dated counts for nothing (DOMAIN "More finer rules"): a type with a
    validity period needs its basis date (a Type II report its period end, a pen test its report
    date), and a type without one needs a stated end. A stated `valid_until` may shorten the
    type's maximum, never extend it; a Type II report never runs past its period end + 12
    months, and an ISO/IEC 27001 certificate of an edition before 2022 never past 31 Oct 2025.
    The review state is not considered: rejected attestations are the caller's to ignore.
    """
    months = attestation_type.default_validity_months
    if months is None:
        valid_until = attestation.valid_until
    else:
        basis = validity_basis_date(attestation, attestation_type)
        if basis is None:
            return None
        valid_until = _earliest(attestation.valid_until, add_months(basis, months))
    if attestation_type.bridge_letter_after_months is not None:
        if attestation.period_end is None:
            return None
        valid_until = _earliest(
            valid_until, add_months(attestation.period_end, TYPE_II_CURRENT_MONTHS)
        )
    if valid_until is not None and _is_iso_27001_before_2022(attestation):
        valid_until = _earliest(valid_until, ISO_2013_LAPSED_ON)
    return valid_until


def _is_iso_27001_before_2022(attestation: AttestationFacts) -> bool:
    version = (attestation.standard_version or "").strip()
    if attestation.type_code == ISO_27001_CODE:
        return not version.endswith("2022")
    # An ISO/IEC 27701 certificate extends a 27001 one: on a 2013 base it lapsed with it.
    return attestation.type_code == ISO_27701_CODE and version.endswith("2013")


def bridge_letter_needed_from(
    attestation: AttestationFacts, attestation_type: AttestationTypeFacts
) -> date | None:
    """Return the first day a bridge letter is also needed, or None for types without one."""
    if attestation_type.bridge_letter_after_months is None or attestation.period_end is None:
        return None
    return add_months(attestation.period_end, attestation_type.bridge_letter_after_months)


def attestation_counts_until(
    attestation: AttestationFacts, attestation_type: AttestationTypeFacts
) -> date | None:
    """Return the last day `attestation` can satisfy a requirement, given its bridge letter;
    None when it cannot be dated and so satisfies nothing.

    From the day a bridge letter is needed, each day also needs `bridge_letter_until` on or after
    it, so the attestation counts until the earlier of its validity and its bridge cover.
    """
    valid_until = attestation_valid_until(attestation, attestation_type)
    needed_from = bridge_letter_needed_from(attestation, attestation_type)
    if valid_until is None or needed_from is None:
        return valid_until
    covered_until = add_days(needed_from, -1)
    if attestation.bridge_letter_until is not None:
        covered_until = max(covered_until, attestation.bridge_letter_until)
    return _earliest(valid_until, covered_until)


def attestation_findings(
    subcontractor: SubcontractorFacts,
    attestations: Iterable[AttestationFacts],
    types: dict[str, AttestationTypeFacts],
    horizon: Horizon,
) -> list[Finding]:
    """Return the findings about a subcontractor's pending and latest accepted attestations.

    `attestations` must be the subcontractor's non-rejected attestations of known types. Of the
    accepted ones, only the latest of each type is reported: an older one it replaced is outdated.
    """
    findings = []
    accepted = []
    for attestation in attestations:
        if attestation.review == "accepted":
            accepted.append(attestation)
            continue
        message = say("attestation_awaiting_review", type=types[attestation.type_code].name,
                      subcontractor=subcontractor.name)
        findings.append(
            _finding("attestation_awaiting_review", attestation, subcontractor, message)
        )
    for attestation, valid_until in _latest_of_each_type(accepted, types):
        findings.extend(
            _accepted_findings(
                attestation, types[attestation.type_code], valid_until, subcontractor, horizon
            )
        )
    return findings


def _latest_of_each_type(
    accepted: Iterable[AttestationFacts], types: dict[str, AttestationTypeFacts]
) -> list[tuple[AttestationFacts, date | None]]:
    latest: dict[str, tuple[tuple[date, int], AttestationFacts, date | None]] = {}
    for attestation in accepted:
        valid_until = attestation_valid_until(attestation, types[attestation.type_code])
        # Ties go to the higher id, so that exactly one attestation of each type is reported;
        # one that cannot be dated ranks last.
        recency = (valid_until or date.min, attestation.id)
        known = latest.get(attestation.type_code)
        if known is None or recency > known[0]:
            latest[attestation.type_code] = (recency, attestation, valid_until)
    return [(attestation, valid_until) for _, attestation, valid_until in latest.values()]


def _accepted_findings(
    attestation: AttestationFacts,
    attestation_type: AttestationTypeFacts,
    valid_until: date | None,
    subcontractor: SubcontractorFacts,
    horizon: Horizon,
) -> list[Finding]:
    name = {"type": attestation_type.name, "subcontractor": subcontractor.name}
    if valid_until is None:
        message = say(f"attestation_undatable_{_missing_date(attestation_type)}", **name)
        return [_finding("attestation_undatable", attestation, subcontractor, message)]
    if horizon.is_expired(valid_until):
        message = say("attestation_expired", date=valid_until, **name)
        return [_finding("attestation_expired", attestation, subcontractor, message, valid_until)]
    findings = []
    if horizon.is_expiring(valid_until):
        message = say("attestation_expiring", date=valid_until, **name)
        findings.append(
            _finding("attestation_expiring", attestation, subcontractor, message, valid_until)
        )
    needed_from = bridge_letter_needed_from(attestation, attestation_type)
    bridge_until = attestation.bridge_letter_until
    lacks_bridge = bridge_until is None or bridge_until < horizon.today
    if needed_from is not None and needed_from <= horizon.today and lacks_bridge:
        message = say("attestation_bridge_letter_needed", period_end=attestation.period_end,
                      date=needed_from, **name)
        findings.append(
            _finding(
                "attestation_bridge_letter_needed", attestation, subcontractor, message, needed_from
            )
        )
    elif (
        needed_from is not None
        and bridge_until is not None
        and bridge_until < valid_until
        and horizon.is_expiring(bridge_until)
    ):
        message = say("attestation_bridge_letter_expiring", date=bridge_until, **name)
        findings.append(
            _finding(
                "attestation_bridge_letter_expiring", attestation, subcontractor, message,
                bridge_until,
            )
        )
    return findings


def _missing_date(attestation_type: AttestationTypeFacts) -> str:
    # Which date is missing: the suffix of the attestation_undatable_* message variant.
    if attestation_type.default_validity_months is None:
        return "valid_until"
    if attestation_type.validity_basis == "period_end" or (
        attestation_type.bridge_letter_after_months is not None
    ):
        return "period_end"
    return "issue_date"


def _finding(
    code: str,
    attestation: AttestationFacts,
    subcontractor: SubcontractorFacts,
    message: Phrase,
    due_on: date | None = None,
) -> Finding:
    return make_finding(
        code, attestation.id, message, due_on=due_on, subcontractor_id=subcontractor.id
    )
