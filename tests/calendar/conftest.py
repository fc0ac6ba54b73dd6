"""A registry with one date of every kind a calendar feed holds (the clock: 2026-11-25)."""

from dataclasses import dataclass
from datetime import date

import pytest

from registry import seed
from tests.portal.factories import make_tenant
from tests.registry_factories import (
    make_attestation,
    make_controller,
    make_dpa,
    make_engagement,
)

EXPIRES_ON = date(2027, 6, 30)
REVIEW_ON = date(2027, 1, 15)
ENDED_ON = date(2026, 11, 10)
RETURN_DUE_ON = date(2026, 12, 10)  # 30 days after the end
NOTIFIED_ON = date(2026, 11, 20)


@dataclass
class Dates:
    """The rows whose dates the feed must show."""

    alpha: object
    bravo: object
    aurora: object
    aurora_dpa: object
    borealis: object
    alpha_evidence: object
    bravo_evidence: object
    engagement: object


@pytest.fixture
def dates(app, clock):
    """Aurora's DPA expires and is reviewed; Borealis's ended (Alpha held its data, so both we
    and Alpha return or delete it); Alpha's and Bravo's ISO 27001 lapse; Bravo's engagement
    for Aurora is in its objection period."""
    seed.ensure_reference_data()
    alpha, bravo = make_tenant("Alpha"), make_tenant("Bravo")
    aurora = make_controller(name="Aurora Kauppa Oy")
    aurora_dpa = make_dpa(aurora, expires_on=EXPIRES_ON, review_due_on=REVIEW_ON)
    borealis = make_controller(name="Borealis Oy")
    make_dpa(borealis, status="terminated", terminated_on=ENDED_ON,
             return_or_deletion="deletion")
    make_engagement(alpha.subcontractor, borealis, proposed_on=date(2026, 1, 1))
    engagement = make_engagement(bravo.subcontractor, aurora, on_list_at_signing=False,
                                 proposed_on=date(2026, 11, 18), notified_on=NOTIFIED_ON)
    alpha_evidence = make_attestation(alpha.subcontractor, "iso27001",
                                      issued_on=date(2025, 3, 1), valid_until=date(2027, 2, 28))
    bravo_evidence = make_attestation(bravo.subcontractor, "iso27001",
                                      issued_on=date(2025, 5, 1), valid_until=date(2027, 4, 30))
    return Dates(alpha, bravo, aurora, aurora_dpa, borealis, alpha_evidence, bravo_evidence,
                 engagement)
