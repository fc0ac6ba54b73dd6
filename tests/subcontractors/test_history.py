"""A subcontractor's dated facts keep their history: `check --today D` judges what was true on D
(DOMAIN.md "Effective dating"), whether the change came through a form, an offboarding or an
import."""

import json
from datetime import timedelta

from registry import checks
from registry.clock import local_today
from registry.interchange.importer import import_document
from registry.models import SubcontractorHistory
from registry.subcontractors import operations
from tests.registry_factories import (
    make_attestation,
    make_dpa,
    make_engagement,
    make_requirement,
    make_subcontractor,
)


def _codes(today):
    return {finding.code for finding in checks.run_check(today=today).findings}


def _engaged_low_tier():
    make_requirement()  # low tier: a security questionnaire
    make_requirement(key="high_pentest", tier="high", type_codes=("pentest_report",))
    subcontractor = make_subcontractor()
    make_attestation(subcontractor)
    make_engagement(subcontractor, make_dpa().controller)
    return subcontractor


def test_a_tier_raised_today_was_not_owed_yesterday(app, clock):
    subcontractor = _engaged_low_tier()
    yesterday = local_today() - timedelta(days=1)

    operations.update_subcontractor(subcontractor, {"risk_tier": "high"}, actor=None)

    assert "requirement_missing:high_pentest" in _codes(local_today())
    assert _codes(yesterday) == set()
    kept = SubcontractorHistory.get()
    assert (kept.valid_until, kept.risk_tier) == (yesterday, "low")


def test_an_offboarded_subcontractor_was_active_until_the_day_before(app, clock):
    subcontractor = _engaged_low_tier()
    offboarded_on = local_today() - timedelta(days=3)
    operations.offboard_subcontractor(subcontractor, offboarded_on, actor=None)

    facts = checks.current_snapshot(offboarded_on - timedelta(days=1)).facts
    [before] = [s.as_of(offboarded_on - timedelta(days=1)) for s in facts.subcontractors]
    assert before.status == "active"
    assert facts.subcontractors[0].as_of(offboarded_on).status == "offboarded"


def test_an_import_that_changes_the_transfer_mechanism_keeps_the_old_one(app, clock):
    subcontractor = make_subcontractor(country="IN", processing_countries=["IN"],
                                       transfer_mechanism="bcr")
    make_engagement(subcontractor, make_dpa().controller)
    document = json.loads(json.dumps({"format": "dpa-registry/1", "subcontractors": [{
        "key": subcontractor.key, "name": subcontractor.name, "country": "IN",
        "tier": "low", "status": "active", "processing_countries": ["IN"],
        "transfer_mechanism": "scc_2010", "breach_notice_hours": 24,
        "contacts": subcontractor.contacts,
    }]}))
    report = import_document(document)
    assert report.ok, report.errors

    assert "transfer_mechanism_invalid" in _codes(local_today())
    assert "transfer_mechanism_invalid" not in _codes(local_today() - timedelta(days=1))
