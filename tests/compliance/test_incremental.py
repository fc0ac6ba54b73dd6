"""`reassess` after any change equals a full `assess` of the new facts (issue 14).

Registries are drawn (hypothesis) or generated at random (seeded), changed in every table at
once or one at a time (rows changed, deleted, inserted; a table reloaded unchanged is equal
but another tuple), and the incremental assessment is compared with the full one: findings in
order, every status map, the requirement matrix and the subcontractors per controller.
"""

import dataclasses
import random
from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from registry.compliance import (
    AttestationFacts,
    ControllerFacts,
    DpaFacts,
    EngagementFacts,
    InstructionFacts,
    RegistryFacts,
    Severity,
    SubcontractorFacts,
    assess,
)
from registry.compliance.engine import assess_tracked
from registry.compliance.incremental import _changes, reassess
from registry.compliance.requests import ASSISTANCE_KINDS, AssistanceRequestFacts
from registry.compliance.return_or_deletion import ReturnOrDeletionEvidenceFacts, item_key
from tests.compliance import builders
from tests.compliance.builders import ALL_CLAUSES, ATTESTATION_TYPES, REQUIREMENT_GROUPS, TODAY
from tests.compliance.test_properties import (
    adequacy_decisions,
    attestation_types,
    attestations_of,
    controllers_with_id,
    days,
    dpas_of,
    engagements_of,
    instructions_of,
    maybe_days,
    requirement_groups,
    subcontractors_with_id,
)

FIELDS = ("findings", "controller_status", "subcontractor_status", "engagement_status",
          "requirement_matrix", "controller_subcontractors")


def assert_same(incremental, full):
    """Compare field by field first, for a readable failure."""
    for name in FIELDS:
        assert getattr(incremental, name) == getattr(full, name), name
    assert incremental == full


def check(before, after, today, horizon_days):
    previous = assess_tracked(before, today, horizon_days)
    result = reassess(previous, after)
    full = assess(after, today, horizon_days)
    assert_same(result.assessment, full)
    # And once more from the incremental result, as the snapshot cache chains them.
    again = reassess(result, before)
    assert_same(again.assessment, assess(before, today, horizon_days))
    return previous, result


def with_id(row, row_id):
    return row._replace(id=row_id) if isinstance(row, tuple) else dataclasses.replace(
        row, id=row_id)


@st.composite
def changed(draw, rows, strategy, first_new_id):
    """Return `rows` with some rows changed (same id), deleted and inserted (new ids); the very
    same tuple when nothing was drawn to change, sometimes an equal copy (reloaded)."""
    fate = draw(st.lists(st.sampled_from(["keep", "keep", "keep", "change", "delete"]),
                         min_size=len(rows), max_size=len(rows)))
    result = []
    for row, what in zip(rows, fate, strict=True):
        if what == "keep":
            result.append(row)
        elif what == "change":
            result.append(with_id(draw(strategy), row.id))
    inserted = draw(st.lists(strategy, max_size=2))
    result.extend(with_id(row, first_new_id + i) for i, row in enumerate(inserted))
    result = tuple(result)
    if result == rows:
        return tuple(rows) if draw(st.booleans()) else rows
    return result


def numbered(rows, first=1):
    return tuple(with_id(row, first + i) for i, row in enumerate(rows))


def assistance_requests_of(controller_id):
    return st.builds(
        AssistanceRequestFacts, id=st.integers(1, 10_000), reference=st.text(max_size=5),
        kind=st.sampled_from(ASSISTANCE_KINDS), controller_id=controller_id,
        received_on=days, due_on=days, answered_on=maybe_days,
    )


@st.composite
def registry_and_change(draw, plain):
    """Draw a registry and a changed version of it. `plain`: without engagements for every
    controller or sub-processor chains (what the incremental path handles itself)."""
    controller_ids = list(range(1, draw(st.integers(0, 6)) + 1))
    subcontractor_ids = list(range(1, draw(st.integers(0, 5)) + 1))
    # Later rows may point at controllers and subcontractors that appear, or at ones gone.
    all_controllers = st.sampled_from([*controller_ids, 100, 101])
    all_subcontractors = st.sampled_from([*subcontractor_ids, 100, 101])
    controller_id = all_controllers if plain else st.none() | all_controllers
    parent_id = st.none() if plain else st.none() | all_subcontractors
    types = draw(attestation_types())
    codes = [row.code for row in types]
    controllers = tuple(draw(controllers_with_id(i)) for i in controller_ids)
    subcontractors = tuple(draw(subcontractors_with_id(i, parent_id)) for i in subcontractor_ids)
    dpas = numbered(draw(st.lists(dpas_of(all_controllers), max_size=8)))
    instructions = numbered(draw(st.lists(instructions_of(all_controllers), max_size=5)))
    attestations = numbered(draw(st.lists(attestations_of(all_subcontractors, codes),
                                          max_size=10)))
    engagement = engagements_of(all_subcontractors, controller_id)
    if plain:  # engagements_of draws some for every controller
        engagement = engagement.filter(lambda row: row.controller_id is not None)
    engagements = numbered(draw(st.lists(engagement, max_size=10)))
    assistance = numbered(draw(st.lists(assistance_requests_of(all_controllers), max_size=3)))
    groups = tuple(draw(st.lists(requirement_groups(codes), max_size=4)))
    adequacy = tuple(draw(st.lists(adequacy_decisions, max_size=3)))
    keys = [item_key(cid, sid) for cid in (*controller_ids, 100)
            for sid in (None, *subcontractor_ids)]
    keys += [item_key(None, engagement_id=row.id) for row in engagements]
    evidence_row = st.builds(ReturnOrDeletionEvidenceFacts, key=st.sampled_from(keys),
                             certificate_on=maybe_days, completed_on=maybe_days)
    evidence = tuple(draw(st.lists(evidence_row, max_size=3, unique_by=lambda row: row.key)))
    before = RegistryFacts(
        controllers=controllers, dpas=dpas, instructions=instructions,
        subcontractors=subcontractors, attestation_types=types, attestations=attestations,
        requirement_groups=groups, engagements=engagements, adequacy=adequacy,
        return_or_deletion=evidence, assistance_requests=assistance,
    )
    new_controller = st.builds(ControllerFacts, id=st.just(100), name=st.text(max_size=5),
                               status=st.sampled_from(["active", "ended"]), ended_on=maybe_days)
    new_subcontractor = subcontractors_with_id(100, parent_id)
    changes = {
        "controllers": changed(controllers, new_controller, 100),
        "dpas": changed(dpas, dpas_of(all_controllers), 1000),
        "instructions": changed(instructions, instructions_of(all_controllers), 1000),
        "subcontractors": changed(subcontractors, new_subcontractor, 100),
        "attestations": changed(attestations, attestations_of(all_subcontractors, codes), 1000),
        "engagements": changed(engagements, engagement, 1000),
        "assistance_requests": changed(assistance, assistance_requests_of(all_controllers),
                                       1000),
        "return_or_deletion": st.just(evidence) | st.lists(
            evidence_row, max_size=3, unique_by=lambda row: row.key).map(tuple),
    }
    if not plain:
        changes["requirement_groups"] = st.just(groups) | st.lists(
            requirement_groups(codes), max_size=4).map(tuple)
        changes["adequacy"] = st.just(adequacy) | st.lists(adequacy_decisions,
                                                            max_size=3).map(tuple)
    # One table changed at a time, or several at once.
    tables = draw(st.lists(st.sampled_from(sorted(changes)), min_size=1, unique=True))
    after = dataclasses.replace(before, **{table: draw(changes[table]) for table in tables})
    return before, after


@settings(max_examples=200, deadline=None)
@given(change=registry_and_change(plain=True), today=days, horizon_days=st.integers(0, 120))
def test_a_reassessment_equals_a_full_assessment(change, today, horizon_days):
    check(*change, today, horizon_days)


@settings(max_examples=100, deadline=None)
@given(change=registry_and_change(plain=False), today=days, horizon_days=st.integers(0, 120))
def test_a_reassessment_with_chains_and_every_controller_engagements_equals_a_full_one(
        change, today, horizon_days):
    check(*change, today, horizon_days)


# Seeded random changes of a registry of a few hundred controllers.

def random_registry(rng, controllers=300, subcontractors=25):
    def day(chance=1.0):
        return TODAY + timedelta(days=rng.randint(-700, 400)) if rng.random() < chance else None

    return RegistryFacts(
        controllers=tuple(
            ControllerFacts(id=i, name=f"C{i}", status=rng.choice(["active"] * 5 + ["ended"]),
                            ended_on=day(0.05))
            for i in range(controllers)),
        dpas=tuple(
            DpaFacts(id=i, controller_id=i % controllers, version=i // controllers + 1,
                     title="DPA", status=rng.choice(["signed", "signed", "draft", "terminated"]),
                     subprocessor_authorisation=rng.choice(["general", "specific"]),
                     signed_on=day(0.9), expires_on=day(0.3), review_due_on=day(0.3),
                     terminated_on=day(0.1), clauses=ALL_CLAUSES,
                     breach_notice_hours=rng.choice([None, 24, 48, 72]))
            for i in range(2 * controllers)),
        instructions=tuple(
            InstructionFacts(id=i, controller_id=i % controllers, title="I", version=1,
                             received_on=day(), acknowledged_on=day(0.6))
            for i in range(controllers)),
        subcontractors=tuple(
            SubcontractorFacts(id=i, name=f"S{i}", country=rng.choice(["FI", "US", "IN"]),
                               status=rng.choice(["proposed", "active", "active", "offboarded"]),
                               risk_tier=rng.choice(["low", "medium", "high"]),
                               breach_notice_hours=rng.choice([None, 24, 72]))
            for i in range(subcontractors)),
        attestation_types=ATTESTATION_TYPES,
        attestations=tuple(
            AttestationFacts(id=i, subcontractor_id=rng.randrange(subcontractors),
                             type_code=rng.choice(ATTESTATION_TYPES).code,
                             review=rng.choice(["pending", "accepted", "accepted", "rejected"]),
                             issued_on=day(0.8), period_end=day(0.5))
            for i in range(4 * subcontractors)),
        requirement_groups=REQUIREMENT_GROUPS,
        engagements=tuple(random_engagement(rng, i, controllers, subcontractors, day)
                          for i in range(8 * controllers)),
    )


def random_engagement(rng, engagement_id, controllers, subcontractors, day):
    return EngagementFacts(
        id=engagement_id, subcontractor_id=rng.randrange(subcontractors),
        controller_id=rng.randrange(controllers), on_list_at_signing=rng.random() < 0.5,
        notified_on=day(0.3), objected_on=day(0.05), approved_on=day(0.1),
        withdrawn_on=day(0.1))


def mutate(rng, facts, today):
    """Return `facts` with 1-3 random changes: edits, deletions and insertions."""
    def day(chance=1.0):
        return today + timedelta(days=rng.randint(-400, 200)) if rng.random() < chance else None

    for _ in range(rng.randint(1, 3)):
        what = rng.choice(["rename", "end", "dpa", "delete_dpa", "instruction", "engagement",
                           "new_engagement", "delete_engagement", "subcontractor", "offboard",
                           "attestation", "delete_attestation", "new_controller", "evidence",
                           "delete_controller", "new_subcontractor"])
        rows = list(getattr(facts, _TABLE[what]))
        if not rows and not what.startswith("new"):
            continue
        position = rng.randrange(len(rows)) if rows else 0
        if what == "rename":
            rows[position] = dataclasses.replace(rows[position], name=f"R{rng.random()}")
        elif what == "end":
            rows[position] = dataclasses.replace(rows[position], status="ended", ended_on=day())
        elif what == "dpa":
            rows[position] = dataclasses.replace(
                rows[position], breach_notice_hours=rng.choice([None, 1, 12, 100]),
                expires_on=day(0.5), subprocessor_authorisation=rng.choice(["general",
                                                                            "specific"]))
        elif what in ("delete_dpa", "delete_engagement", "delete_attestation",
                      "delete_controller"):
            del rows[position]
        elif what == "instruction":
            rows[position] = dataclasses.replace(rows[position], acknowledged_on=day(0.5))
        elif what == "engagement":
            rows[position] = rows[position]._replace(
                withdrawn_on=day(0.3), objected_on=day(0.2), notified_on=day(0.5),
                subcontractor_id=rng.randrange(len(facts.subcontractors) + 1))
        elif what == "new_engagement":
            rows.append(random_engagement(rng, 10_000 + rng.randrange(10_000),
                                          len(facts.controllers) + 1,
                                          len(facts.subcontractors) + 1, day))
            rows = list({row.id: row for row in rows}.values())
        elif what == "subcontractor":
            rows[position] = dataclasses.replace(
                rows[position], name=f"N{rng.random()}", breach_notice_hours=rng.choice(
                    [None, 12, 96]), risk_tier=rng.choice(["low", "high"]))
        elif what == "offboard":
            rows[position] = dataclasses.replace(rows[position], status="offboarded")
        elif what == "attestation":
            rows[position] = dataclasses.replace(
                rows[position], review=rng.choice(["pending", "accepted", "rejected"]),
                issued_on=day(0.8), subcontractor_id=rng.randrange(len(facts.subcontractors)))
        elif what == "new_controller":
            rows.append(ControllerFacts(id=len(facts.controllers) + 5000, name="New",
                                        status="active"))
            rows = list({row.id: row for row in rows}.values())
        elif what == "new_subcontractor":
            rows.append(SubcontractorFacts(id=len(facts.subcontractors), name="NewS",
                                           country="FI", status="active", risk_tier="low"))
            rows = list({row.id: row for row in rows}.values())
        elif what == "evidence":
            key = item_key(rng.randrange(len(facts.controllers)))
            rows = [row for row in rows if row.key != key]
            rows.append(ReturnOrDeletionEvidenceFacts(key=key, certificate_on=day(0.7),
                                                      completed_on=day(0.5)))
        facts = dataclasses.replace(facts, **{_TABLE[what]: tuple(rows)})
    return facts


_TABLE = {
    "rename": "controllers", "end": "controllers", "new_controller": "controllers",
    "delete_controller": "controllers", "dpa": "dpas", "delete_dpa": "dpas",
    "instruction": "instructions", "engagement": "engagements",
    "new_engagement": "engagements", "delete_engagement": "engagements",
    "subcontractor": "subcontractors", "offboard": "subcontractors",
    "new_subcontractor": "subcontractors", "attestation": "attestations",
    "delete_attestation": "attestations", "evidence": "return_or_deletion",
}


def test_chained_random_changes_of_a_larger_registry_match_full_assessments():
    rng = random.Random(14)
    facts = random_registry(rng)
    for today in (TODAY, TODAY - timedelta(days=300), TODAY + timedelta(days=120)):
        tracked = assess_tracked(facts, today, 60)
        incremental_runs = 0
        for _ in range(40):
            changed_facts = mutate(rng, tracked.facts, today)
            incremental_runs += _changes(tracked, changed_facts) is not None
            tracked = reassess(tracked, changed_facts)
            assert_same(tracked.assessment, assess(changed_facts, today, 60))
        # Most changes took the incremental path; a subcontractor's change touches a quarter
        # of these controllers (about 100 engagements each) and may take the full run.
        assert incremental_runs >= 25
        facts = tracked.facts


def registry_in_order(rng, controllers=200, subcontractors=20):
    """Return a registry in which nearly everything is in order, so that one change turns
    statuses (a subcontractor's evidence rejected turns its controllers red)."""
    return RegistryFacts(
        controllers=tuple(builders.controller(id=i, name=f"C{i}") for i in range(controllers)),
        dpas=tuple(builders.dpa(id=i, controller_id=i,
                                breach_notice_hours=rng.choice([24, 48, 72]))
                   for i in range(controllers)),
        subcontractors=tuple(builders.subcontractor(id=i, name=f"S{i}", breach_notice_hours=12)
                             for i in range(subcontractors)),
        attestation_types=ATTESTATION_TYPES,
        attestations=tuple(builders.attestation(id=i, subcontractor_id=i)
                           for i in range(subcontractors)),
        requirement_groups=REQUIREMENT_GROUPS,
        engagements=tuple(builders.engagement(id=i, controller_id=i % controllers,
                                              subcontractor_id=rng.randrange(subcontractors))
                          for i in range(3 * controllers)),
        adequacy=builders.ADEQUACY,
    )


def test_random_changes_of_a_registry_in_order_match_full_assessments():
    rng = random.Random(28)
    for today in (TODAY, TODAY + timedelta(days=400)):
        tracked = assess_tracked(registry_in_order(rng), today, 60)
        for _ in range(40):
            changed_facts = mutate(rng, tracked.facts, today)
            tracked = reassess(tracked, changed_facts)
            assert_same(tracked.assessment, assess(changed_facts, today, 60))


def test_rejected_evidence_turns_the_controllers_engaging_the_subcontractor_red():
    facts = registry_in_order(random.Random(1))
    previous = assess_tracked(facts, TODAY, 60)
    assert set(previous.assessment.controller_status.values()) == {Severity.GREEN}
    rejected = dataclasses.replace(facts, attestations=(
        dataclasses.replace(facts.attestations[0], review="rejected"), *facts.attestations[1:]))
    assert _changes(previous, rejected) is not None
    result = reassess(previous, rejected).assessment
    assert_same(result, assess(rejected, TODAY, 60))
    assert Severity.RED in result.controller_status.values()


def test_an_unrelated_change_keeps_every_other_finding_object():
    rng = random.Random(3)
    facts = random_registry(rng)
    previous = assess_tracked(facts, TODAY, 60)
    renamed = dataclasses.replace(facts, controllers=(
        *facts.controllers[:-1], dataclasses.replace(facts.controllers[-1], name="Renamed")))
    result = reassess(previous, renamed)
    assert_same(result.assessment, assess(renamed, TODAY, 60))
    last = facts.controllers[-1].id
    kept = {id(finding) for finding in previous.assessment.findings}
    for finding in result.assessment.findings:
        assert (id(finding) in kept) == (finding.controller_id != last or finding.area
                                         == "subcontractors")


def test_a_change_of_a_global_input_takes_the_full_run():
    rng = random.Random(5)
    facts = random_registry(rng, controllers=20, subcontractors=5)
    previous = assess_tracked(facts, TODAY, 60)
    changed_types = dataclasses.replace(facts, attestation_types=facts.attestation_types[1:])
    assert _changes(previous, changed_types) is None
    assert_same(reassess(previous, changed_types).assessment, assess(changed_types, TODAY, 60))
    everyone = dataclasses.replace(facts, engagements=(
        *facts.engagements, facts.engagements[0]._replace(id=99_999, controller_id=None)))
    assert _changes(previous, everyone) is None
    assert_same(reassess(previous, everyone).assessment, assess(everyone, TODAY, 60))
