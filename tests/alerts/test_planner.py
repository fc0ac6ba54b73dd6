"""The planner, pure: which alert keys are due on which day, from the engine's own findings."""

from datetime import date, timedelta

from registry.alerts import planner
from registry.compliance import (
    CLAUSE_KEYS,
    AttestationFacts,
    AttestationTypeFacts,
    ControllerFacts,
    DpaFacts,
    FlowDownFacts,
    RegistryFacts,
    RequirementGroupFacts,
    SubcontractorFacts,
    assess,
)

THRESHOLDS = (60, 30, 7, 0)
DPA_EXPIRES = date(2027, 3, 1)
ALL_CLAUSES = tuple((key, True) for key in CLAUSE_KEYS)


def _facts(attestation_until=DPA_EXPIRES, with_attestation=True):
    iso = AttestationTypeFacts(code="iso27001", name="ISO 27001 certificate",
                               validity_basis="issued_on", default_validity_months=36)
    attestations = (AttestationFacts(id=7, subcontractor_id=3, type_code="iso27001",
                                     review="accepted", issued_on=date(2024, 6, 1),
                                     valid_until=attestation_until, standard_version="2022"),
                    ) if with_attestation else ()
    return RegistryFacts(
        controllers=(ControllerFacts(id=1, name="Kauppa Oy", status="active"),),
        dpas=(DpaFacts(id=2, controller_id=1, version=1, title="DPA", status="signed",
                       subprocessor_authorisation="general", signed_on=date(2024, 1, 1),
                       effective_from=date(2024, 1, 1), expires_on=DPA_EXPIRES,
                       clauses=ALL_CLAUSES),),
        subcontractors=(SubcontractorFacts(id=3, name="Pilvi Oy", country="FI", status="active",
                                           risk_tier="low", processing_countries=("FI",),
                                           flow_downs=(FlowDownFacts(
                                               id=1, signed_on=date(2024, 1, 1),
                                               clauses=ALL_CLAUSES),)),),
        attestation_types=(iso,),
        attestations=attestations,
        requirement_groups=(RequirementGroupFacts(key="low_iso", label="ISO 27001", tier="low",
                                                  applies_to_card_data=False,
                                                  type_codes=("iso27001",)),),
    )


def _plan(today, facts=None):
    facts = facts or _facts()
    return planner.plan(assess(facts, today, max(THRESHOLDS)), facts, THRESHOLDS)


def _dpa_thresholds(due):
    return sorted(a.threshold for a in due if a.subject_type == "dpa")


def test_each_threshold_is_crossed_on_its_day_and_not_the_day_before():
    for threshold in THRESHOLDS:
        on_the_day = DPA_EXPIRES - timedelta(days=threshold)
        assert _dpa_thresholds(_plan(on_the_day)) == [threshold]
        day_before = on_the_day - timedelta(days=1)
        before = _dpa_thresholds(_plan(day_before))
        assert threshold not in before


def test_nothing_is_due_before_the_first_threshold():
    assert _plan(DPA_EXPIRES - timedelta(days=61)) == []


def test_walking_every_day_yields_exactly_one_key_per_threshold():
    keys = set()
    day = DPA_EXPIRES - timedelta(days=70)
    while day <= DPA_EXPIRES + timedelta(days=40):
        keys.update(a.key for a in _plan(day) if a.subject_type == "dpa")
        day += timedelta(days=1)
    assert sorted(key.rsplit("|", 1)[1] for key in keys) == ["0", "30", "60", "7"]


def test_after_downtime_only_the_most_urgent_threshold_is_planned():
    due = _plan(DPA_EXPIRES - timedelta(days=5))
    assert _dpa_thresholds(due) == [7]


def test_an_expired_item_keeps_the_zero_day_key_every_day():
    first = {a.key for a in _plan(DPA_EXPIRES) if a.subject_type == "dpa"}
    later = {a.key for a in _plan(DPA_EXPIRES + timedelta(days=9)) if a.subject_type == "dpa"}
    assert first == later and len(first) == 1


def test_attestation_alerts_go_to_legal_and_to_the_subcontractor_with_an_upload_type():
    due = [a for a in _plan(DPA_EXPIRES - timedelta(days=30)) if a.subject_type == "attestation"]
    assert sorted(a.audience for a in due) == ["legal", "subcontractor:3"]
    assert {a.details["upload_type"] for a in due} == {"iso27001"}
    assert all(a.threshold == 30 and a.due_on == DPA_EXPIRES for a in due)


def _with_pending_upload(facts, type_code="iso27001"):
    pending = AttestationFacts(id=8, subcontractor_id=3, type_code=type_code, review="pending",
                               issued_on=date(2027, 1, 15))
    return RegistryFacts(**{**{name: getattr(facts, name) for name in facts.__dataclass_fields__},
                            "attestations": (*facts.attestations, pending)})


def test_no_reminder_to_a_company_whose_renewal_awaits_review():
    day = DPA_EXPIRES - timedelta(days=30)
    due = [a for a in _plan(day, _with_pending_upload(_facts()))
           if a.subject_type == "attestation"]
    assert [a.audience for a in due] == ["legal"]
    missing = _with_pending_upload(_facts(with_attestation=False))
    due = [a for a in _plan(date(2026, 11, 25), missing) if a.kind == "requirement_missing"]
    assert [a.audience for a in due] == ["legal"]


def test_an_upload_of_a_type_that_cannot_replace_it_does_not_silence_the_reminder():
    facts = _with_pending_upload(_facts(), type_code="pentest_report")
    due = [a for a in _plan(DPA_EXPIRES - timedelta(days=30), facts)
           if a.subject_type == "attestation"]
    assert sorted(a.audience for a in due) == ["legal", "subcontractor:3"]


def test_a_changed_date_starts_a_new_series_of_keys():
    day = DPA_EXPIRES - timedelta(days=7)
    old = [a for a in _plan(day) if a.subject_type == "attestation"]
    moved = _facts(attestation_until=DPA_EXPIRES + timedelta(days=20))
    new = [a for a in _plan(day, moved) if a.subject_type == "attestation"]
    assert {a.threshold for a in old} == {7} and {a.threshold for a in new} == {30}
    assert not {a.key for a in old} & {a.key for a in new}


def test_new_red_findings_are_planned_once_with_a_stable_key():
    facts = _facts(with_attestation=False)
    today = date(2026, 11, 25)
    due = [a for a in _plan(today, facts) if a.kind == "requirement_missing"]
    assert sorted(a.audience for a in due) == ["legal", "subcontractor:3"]
    assert {a.details["severity"] for a in due} == {"red"}
    assert {a.details["upload_type"] for a in due} == {"iso27001"}
    tomorrow = {a.key for a in _plan(today + timedelta(days=1), facts)
                if a.kind == "requirement_missing"}
    assert tomorrow == {a.key for a in due}


def test_crossed_threshold():
    today = date(2026, 1, 1)
    assert planner.crossed_threshold(date(2026, 3, 2), today, THRESHOLDS) == 60
    assert planner.crossed_threshold(date(2026, 3, 3), today, THRESHOLDS) is None
    assert planner.crossed_threshold(date(2026, 1, 8), today, THRESHOLDS) == 7
    assert planner.crossed_threshold(date(2025, 12, 1), today, THRESHOLDS) == 0


def test_the_overdue_summary_has_one_key_per_iso_week():
    facts = _facts()
    monday = date(2027, 3, 8)
    summaries = {planner.plan_overdue_summary(assess(facts, monday + timedelta(days=n), 60)).key
                 for n in range(7)}
    assert summaries == {"legal|registry:0|overdue_summary|2027-W10|weekly"}
    summary = planner.plan_overdue_summary(assess(facts, monday, 60))
    assert len(summary.details["items"]) >= 2  # the DPA and the attestation both expired
    assert planner.plan_overdue_summary(assess(facts, date(2026, 11, 25), 60)) is None
