"""Property tests: `assess` never raises on valid facts, and its output stays coherent."""

import string
from dataclasses import replace
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from registry.compliance import (
    CLAUSE_KEYS,
    DESCRIPTION_ELEMENTS,
    FINDING_CODES,
    TRANSFER_MECHANISMS,
    AdequacyFacts,
    AttestationFacts,
    AttestationTypeFacts,
    ControllerFacts,
    DpaFacts,
    EngagementFacts,
    FlowDownFacts,
    InstructionFacts,
    RegistryFacts,
    RequirementGroupFacts,
    SubcontractorFacts,
    assess,
    worst,
)
from registry.compliance.return_or_deletion import ReturnOrDeletionEvidenceFacts, item_key

TYPE_CODES = ("iso27001", "iso27701", "soc2_type1", "soc2_type2", "pentest_report", "pci_dss_aoc")

# Mostly recent dates, so that rules interact; sometimes the whole calendar, because a typed
# 9999-12-31 must not break the assessment.
days = st.dates(date(2020, 1, 1), date(2030, 12, 31)) | st.dates()
maybe_days = st.none() | days
names = st.text(min_size=1, max_size=12)
small = st.integers(min_value=0, max_value=400)
maybe_hours = st.none() | st.integers(min_value=0, max_value=200)
clauses = st.lists(st.tuples(st.sampled_from(CLAUSE_KEYS).map(str), st.booleans()), max_size=8).map(
    tuple
)
flow_downs = st.builds(
    FlowDownFacts, id=st.integers(1, 10_000), signed_on=maybe_days, terminated_on=maybe_days,
    clauses=clauses, document_attached=st.booleans(),
)
countries = st.sampled_from(["FI", "se", "NO", "US", "GB", "CH", "IN", "JP", " ", ""]) | st.text(
    alphabet=string.ascii_uppercase, min_size=2, max_size=2
)


def unique_ids(max_size):
    return st.lists(st.integers(min_value=1, max_value=10_000), unique=True, max_size=max_size)


@st.composite
def attestation_types(draw):
    codes = draw(st.lists(st.sampled_from(TYPE_CODES), unique=True, min_size=1))
    return tuple(
        AttestationTypeFacts(
            code=code,
            name=draw(names),
            validity_basis=draw(st.sampled_from(["issued_on", "period_end"])),
            default_validity_months=draw(st.none() | st.integers(0, 60)),
            counts_for_requirements=draw(st.booleans()),
            bridge_letter_after_months=draw(st.none() | st.integers(0, 12)),
        )
        for code in codes
    )


def dpas_of(controller_id):
    return st.builds(
        DpaFacts,
        id=st.integers(1, 10_000),
        controller_id=controller_id,
        version=st.integers(1, 5),
        title=names,
        status=st.sampled_from(["draft", "signed", "terminated", "superseded"]),
        subprocessor_authorisation=st.sampled_from(["general", "specific"]),
        signed_on=maybe_days,
        effective_from=maybe_days,
        expires_on=maybe_days,
        review_due_on=maybe_days,
        terminated_on=maybe_days,
        clauses=clauses,
        objection_period_days=small,
        breach_notice_hours=maybe_hours,
        description=st.lists(
            st.tuples(st.sampled_from([key for key, _ in DESCRIPTION_ELEMENTS]), st.booleans()),
            max_size=5).map(tuple),
        document_attached=st.booleans(),
    )


def instructions_of(controller_id):
    return st.builds(
        InstructionFacts,
        id=st.integers(1, 10_000),
        controller_id=controller_id,
        title=names,
        version=st.integers(1, 5),
        received_on=days,
        acknowledged_on=maybe_days,
        superseded_on=maybe_days,
    )


def attestations_of(subcontractor_id, type_codes):
    return st.builds(
        AttestationFacts,
        id=st.integers(1, 10_000),
        subcontractor_id=subcontractor_id,
        type_code=st.sampled_from(type_codes),
        review=st.sampled_from(["pending", "accepted", "rejected"]),
        issued_on=maybe_days,
        period_start=maybe_days,
        period_end=maybe_days,
        valid_until=maybe_days,
        bridge_letter_until=maybe_days,
        standard_version=st.sampled_from([None, "2013", "2022", "ISO/IEC 27001:2013"]),
    )


def engagements_of(subcontractor_id, controller_id):
    return st.builds(
        EngagementFacts,
        id=st.integers(1, 10_000),
        subcontractor_id=subcontractor_id,
        controller_id=st.none() | controller_id,
        on_list_at_signing=st.booleans(),
        proposed_on=maybe_days,
        notified_on=maybe_days,
        objection_deadline=maybe_days,
        objected_on=maybe_days,
        approved_on=maybe_days,
        withdrawn_on=maybe_days,
        approval_documented=st.booleans(),
        notice_tracked=st.booleans(),
        notice_delivered_on=maybe_days,
    )


def rows(strategy, max_size):
    return st.lists(strategy, max_size=max_size).map(tuple)


@st.composite
def registries(draw):
    """Draw a registry whose references all point at controllers and subcontractors drawn."""
    controller_ids = draw(unique_ids(6))
    subcontractor_ids = draw(unique_ids(5))
    types = draw(attestation_types())
    type_codes = [attestation_type.code for attestation_type in types]
    # Without a controller (subcontractor) to refer to, rows referring to one are left out.
    controller_id = st.sampled_from(controller_ids) if controller_ids else st.nothing()
    subcontractor_id = st.sampled_from(subcontractor_ids) if subcontractor_ids else st.nothing()
    # Chains of sub-processors, loops and self-references included: the engine must cope.
    parent_id = st.none() | subcontractor_id
    engagements = draw(rows(engagements_of(subcontractor_id, controller_id), 10))
    return RegistryFacts(
        controllers=tuple(draw(controllers_with_id(i)) for i in controller_ids),
        dpas=draw(rows(dpas_of(controller_id), 8)),
        instructions=draw(rows(instructions_of(controller_id), 5)),
        subcontractors=tuple(draw(subcontractors_with_id(i, parent_id))
                             for i in subcontractor_ids),
        attestation_types=types,
        attestations=draw(rows(attestations_of(subcontractor_id, type_codes), 10)),
        requirement_groups=draw(rows(requirement_groups(type_codes), 4)),
        engagements=engagements,
        adequacy=draw(rows(adequacy_decisions, 4)),
        return_or_deletion=draw(evidence_of(controller_ids, subcontractor_ids, engagements)),
    )


def evidence_of(controller_ids, subcontractor_ids, engagements):
    """Draw return-or-deletion evidence for some of the items the registry could have."""
    keys = [item_key(cid, sid) for cid in controller_ids for sid in (None, *subcontractor_ids)]
    keys += [item_key(None, engagement_id=engagement.id) for engagement in engagements]
    if not keys:
        return st.just(())
    evidence = st.builds(ReturnOrDeletionEvidenceFacts, key=st.sampled_from(keys),
                         certificate_on=maybe_days, completed_on=maybe_days)
    return st.lists(evidence, max_size=4, unique_by=lambda row: row.key).map(tuple)


def controllers_with_id(controller_id):
    return st.builds(
        ControllerFacts,
        id=st.just(controller_id),
        name=names,
        status=st.sampled_from(["active", "ended"]),
        ended_on=maybe_days,
    )


def subcontractors_with_id(subcontractor_id, parent_id=st.none()):
    return st.builds(
        SubcontractorFacts,
        id=st.just(subcontractor_id),
        parent_id=parent_id,
        name=names,
        country=countries,
        status=st.sampled_from(["proposed", "active", "offboarded"]),
        risk_tier=st.sampled_from(["low", "medium", "high"]),
        handles_card_data=st.booleans(),
        processing_countries=st.lists(countries, max_size=3).map(tuple),
        transfer_mechanism=st.none() | st.sampled_from([*TRANSFER_MECHANISMS, "other"]),
        tia_on=maybe_days,
        flow_downs=st.lists(flow_downs, max_size=2).map(tuple),
        breach_notice_hours=maybe_hours,
    )


def requirement_groups(type_codes):
    return st.builds(
        RequirementGroupFacts,
        key=st.text(alphabet=string.ascii_lowercase, min_size=1, max_size=8),
        label=names,
        tier=st.none() | st.sampled_from(["low", "medium", "high"]),
        applies_to_card_data=st.booleans(),
        type_codes=st.lists(st.sampled_from(type_codes), max_size=3).map(tuple),
    )


adequacy_decisions = st.builds(
    AdequacyFacts, country_code=countries, decided_on=days, valid_until=maybe_days
)


@settings(max_examples=200, deadline=None)
@given(facts=registries(), today=days, horizon_days=small)
def test_assess_never_raises_and_stays_coherent(facts, today, horizon_days):
    result = assess(facts, today, horizon_days)
    assert all(finding.base_code in FINDING_CODES for finding in result.findings)
    ranks = [-finding.severity.rank for finding in result.findings]
    assert ranks == sorted(ranks)
    assert set(result.controller_status) == {controller.id for controller in facts.controllers}
    for controller in facts.controllers:
        status = result.controller_status[controller.id]
        own = result.findings_for_controller(controller.id)
        if not controller.is_active_on(today):
            # A former client only owes the return or deletion of its data (issue 15).
            assert all(finding.area == "return_or_deletion" for finding in own)
            assert status is worst(finding.severity for finding in own)
        assert all(finding.severity <= status for finding in own)
    for subcontractor in facts.subcontractors:
        if subcontractor.status == "offboarded":
            owed = result.findings_for_subcontractor(subcontractor.id)
            assert all(finding.area == "return_or_deletion" for finding in owed)
            assert result.subcontractor_status[subcontractor.id] is worst(
                finding.severity for finding in owed)
    for finding in result.findings:
        if finding.code == "engagement_chain_unauthorised":
            # A link of a chain is listed for the controller whose data reaches it.
            listed = result.controller_subcontractors[finding.controller_id]
            assert finding.subcontractor_id in listed


@given(today=st.sampled_from([date.min, date.max]))
def test_assess_handles_the_ends_of_the_calendar(today):
    assert assess(RegistryFacts(), today).findings == ()


def _happened(day, today):
    return day is not None and day <= today


def _as_known_on(facts, today):
    """Return `facts` with every fact dated after `today` removed: what the registry would have
    held had it been asked on `today` (DOMAIN.md "Effective dating")."""
    def later(day):
        return day is not None and day > today

    def undone(day):
        return None if later(day) else day

    def newest(dpas):
        versions = {}
        for dpa in dpas:
            versions[dpa.controller_id] = max(versions.get(dpa.controller_id, 0), dpa.version)
        return versions

    before = newest(facts.dpas)
    dpas = [dpa for dpa in facts.dpas if not (dpa.status != "draft" and later(dpa.signed_on))]
    after = newest(dpas)
    # A version superseded by a successor signed later was not yet superseded.
    dpas = tuple(
        replace(
            dpa,
            terminated_on=undone(dpa.terminated_on),
            status="signed" if (
                (dpa.status == "terminated" and later(dpa.terminated_on))
                or (dpa.status == "superseded" and before[dpa.controller_id] > dpa.version
                    >= after[dpa.controller_id])
            ) else dpa.status,
        )
        for dpa in dpas
    )
    return replace(
        facts,
        controllers=tuple(
            replace(c, ended_on=None, status="active") if later(c.ended_on) else c
            for c in facts.controllers
        ),
        dpas=dpas,
        instructions=tuple(
            replace(i, acknowledged_on=undone(i.acknowledged_on),
                    superseded_on=undone(i.superseded_on))
            for i in facts.instructions if not later(i.received_on)
        ),
        subcontractors=tuple(
            replace(
                s, tia_on=undone(s.tia_on),
                flow_downs=tuple(replace(f, terminated_on=undone(f.terminated_on))
                                 for f in s.flow_downs if not later(f.signed_on)),
            )
            for s in facts.subcontractors
        ),
        attestations=tuple(
            a for a in facts.attestations if not (later(a.issued_on) or later(a.period_end))
        ),
        engagements=tuple(
            e._replace(
                notified_on=undone(e.notified_on), objected_on=undone(e.objected_on),
                approved_on=undone(e.approved_on), withdrawn_on=undone(e.withdrawn_on),
                notice_delivered_on=undone(e.notice_delivered_on),
            )
            for e in facts.engagements
        ),
        return_or_deletion=tuple(
            replace(r, certificate_on=undone(r.certificate_on),
                    completed_on=undone(r.completed_on))
            for r in facts.return_or_deletion
        ),
    )


@settings(max_examples=300, deadline=None)
@given(facts=registries(), today=st.dates(date(2020, 1, 1), date(2030, 12, 31)))
def test_a_check_as_of_a_day_ignores_every_fact_dated_after_it(facts, today):
    # GDPR-REFERENCE.md rule 23 / DOMAIN.md "Effective dating": `check --today D` reproduces D.
    asked = assess(facts, today)
    known = assess(_as_known_on(facts, today), today)
    assert asked.findings == known.findings
    assert asked.controller_status == known.controller_status
    assert asked.subcontractor_status == known.subcontractor_status
    assert asked.engagement_status == known.engagement_status
    assert asked.requirement_matrix == known.requirement_matrix
