"""Rules for security attestations: how long each one counts, and what is due about it."""

from collections.abc import Iterable
from datetime import date

from registry.compliance.dates import Horizon, add_days, add_months
from registry.compliance.facts import AttestationFacts, AttestationTypeFacts, SubcontractorFacts
from registry.compliance.findings import Finding, make_finding

# ISO/IEC 27001:2013 (and 27701 certificates built on it) lapsed at the end of the IAF transition.
ISO_TYPE_CODES = frozenset({"iso27001", "iso27701"})
ISO_2013_LAPSED_ON = date(2025, 10, 31)
# A Type II report is current for 12 months after the period it covers (DOMAIN finer rules).
TYPE_II_CURRENT_MONTHS = 12


def _earliest(first: date | None, second: date | None) -> date | None:
    # None is "no end known", so it loses to any real date.
    if first is None or second is None:
        return first or second
    return min(first, second)


def attestation_valid_until(
    attestation: AttestationFacts, attestation_type: AttestationTypeFacts
) -> date | None:
    """Return the last day `attestation` is valid, or None when nothing sets an end.

    The stated date wins over the type's default; a Type II report never runs past its period
    end + 12 months, and an ISO 2013 certificate never past 31 Oct 2025. The review state is not
    considered: rejected attestations are the caller's to ignore.
    """
    valid_until = attestation.valid_until
    if valid_until is None and attestation_type.default_validity_months is not None:
        basis = (
            attestation.issued_on
            if attestation_type.validity_basis == "issued_on"
            else attestation.period_end
        )
        if basis is not None:
            valid_until = add_months(basis, attestation_type.default_validity_months)
    if attestation_type.bridge_letter_after_months is not None and attestation.period_end:
        valid_until = _earliest(
            valid_until, add_months(attestation.period_end, TYPE_II_CURRENT_MONTHS)
        )
    if _is_iso_2013(attestation):
        valid_until = _earliest(valid_until, ISO_2013_LAPSED_ON)
    return valid_until


def _is_iso_2013(attestation: AttestationFacts) -> bool:
    version = (attestation.standard_version or "").strip()
    return attestation.type_code in ISO_TYPE_CODES and version.endswith("2013")


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
    """Return the last day `attestation` can satisfy a requirement, given its bridge letter.

    From the day a bridge letter is needed, each day also needs `bridge_letter_until` on or after
    it, so the attestation counts until the earlier of its validity and its bridge cover.
    """
    valid_until = attestation_valid_until(attestation, attestation_type)
    needed_from = bridge_letter_needed_from(attestation, attestation_type)
    if needed_from is None:
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
        type_name = types[attestation.type_code].name
        message = f"{type_name} of {subcontractor.name} awaits review"
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
        # Ties go to the higher id, so that exactly one attestation of each type is reported.
        recency = (valid_until or date.max, attestation.id)
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
    name = f"{attestation_type.name} of {subcontractor.name}"
    if horizon.is_expired(valid_until):
        message = f"{name} expired on {valid_until}"
        return [_finding("attestation_expired", attestation, subcontractor, message, valid_until)]
    findings = []
    if horizon.is_expiring(valid_until):
        message = f"{name} expires on {valid_until}"
        findings.append(
            _finding("attestation_expiring", attestation, subcontractor, message, valid_until)
        )
    needed_from = bridge_letter_needed_from(attestation, attestation_type)
    bridge_until = attestation.bridge_letter_until
    lacks_bridge = bridge_until is None or bridge_until < horizon.today
    if needed_from is not None and needed_from <= horizon.today and lacks_bridge:
        message = (
            f"{name} (period ending {attestation.period_end}) needs a current bridge letter "
            f"since {needed_from}"
        )
        findings.append(
            _finding(
                "attestation_bridge_letter_needed", attestation, subcontractor, message, needed_from
            )
        )
    return findings


def _finding(
    code: str,
    attestation: AttestationFacts,
    subcontractor: SubcontractorFacts,
    message: str,
    due_on: date | None = None,
) -> Finding:
    return make_finding(
        code, attestation.id, message, due_on=due_on, subcontractor_id=subcontractor.id
    )
