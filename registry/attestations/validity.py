"""How long one attestation row counts, asked of the compliance engine (never computed here)."""

from registry.compliance import (
    AttestationFacts,
    AttestationTypeFacts,
    attestation_counts_until,
    attestation_valid_until,
)
from registry.compliance.dates import Horizon

# The dates an attestation may carry, as its upload forms and the validity preview name them.
DATE_FIELDS = ("issued_on", "period_start", "period_end", "valid_until")

# How an upload's last valid day reads on the day asked, by the engine's own horizon rule:
# passed (red), within the alert horizon (amber), or later or without an end (green).
EXPIRED, EXPIRING, VALID = "expired", "expiring", "valid"


def type_facts(attestation_type):
    """Return an AttestationType row as the engine's AttestationTypeFacts."""
    return AttestationTypeFacts(
        code=attestation_type.code,
        name=attestation_type.name,
        validity_basis=attestation_type.validity_basis,
        default_validity_months=attestation_type.default_validity_months,
        counts_for_requirements=attestation_type.counts_for_requirements,
        bridge_letter_after_months=attestation_type.bridge_letter_after_months,
    )


def attestation_facts(attestation_type, review="pending", **dates):
    """Return AttestationFacts for a row or a form: `dates` are issued_on, period_end and so on."""
    return AttestationFacts(
        id=dates.pop("id", 0) or 0,
        subcontractor_id=dates.pop("subcontractor_id", 0) or 0,
        type_code=attestation_type.code,
        review=review,
        issued_on=dates.get("issued_on"),
        period_start=dates.get("period_start"),
        period_end=dates.get("period_end"),
        valid_until=dates.get("valid_until"),
        bridge_letter_until=dates.get("bridge_letter_until"),
        standard_version=dates.get("standard_version"),
    )


def _row_facts(attestation):
    return attestation_facts(
        attestation.attestation_type,
        review=attestation.review,
        id=attestation.id,
        subcontractor_id=attestation.subcontractor_id,
        issued_on=attestation.issued_on,
        period_start=attestation.period_start,
        period_end=attestation.period_end,
        valid_until=attestation.valid_until,
        bridge_letter_until=attestation.bridge_letter_until,
        standard_version=attestation.standard_version,
    )


def valid_until(attestation_type, **dates):
    """Return the last day an attestation with these dates is valid (None: no end known)."""
    return attestation_valid_until(
        attestation_facts(attestation_type, **dates), type_facts(attestation_type)
    )


def row_counts_until(attestation):
    """Return the last day a stored attestation can satisfy a requirement (bridge letter too)."""
    return attestation_counts_until(
        _row_facts(attestation), type_facts(attestation.attestation_type)
    )


def validity_state(last_day, today, horizon_days):
    """Return EXPIRED, EXPIRING or VALID for an attestation whose last valid day is `last_day`.

    The same `Horizon` rule the engine applies to accepted attestations, for this one upload
    only: nothing else in the registry is read.
    """
    horizon = Horizon.starting(today, horizon_days)
    if horizon.is_expired(last_day):
        return EXPIRED
    if horizon.is_expiring(last_day):
        return EXPIRING
    return VALID
