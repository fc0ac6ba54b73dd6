"""A registry of a few thousand random but consistent rows is assessed (no timing asserted)."""

import random
from datetime import timedelta

from registry.compliance import (
    AttestationFacts,
    ControllerFacts,
    DpaFacts,
    EngagementFacts,
    FlowDownFacts,
    InstructionFacts,
    RegistryFacts,
    SubcontractorFacts,
    assess,
)
from tests.compliance.builders import ALL_CLAUSES, ATTESTATION_TYPES, REQUIREMENT_GROUPS, TODAY


class RandomRows:
    """Random rows whose references always point at existing ids."""

    def __init__(self, seed: int, controllers: int, subcontractors: int) -> None:
        self.rng = random.Random(seed)
        self.controller_count = controllers
        self.subcontractor_count = subcontractors

    def day(self):
        return TODAY + timedelta(days=self.rng.randint(-800, 800))

    def maybe_day(self, chance: float = 0.5):
        return self.day() if self.rng.random() < chance else None

    def flow_downs(self, subcontractor_id: int):
        signed_on = self.maybe_day()
        if signed_on is None:
            return ()
        return (FlowDownFacts(id=subcontractor_id, signed_on=signed_on, clauses=ALL_CLAUSES),)

    def controllers(self):
        return tuple(
            ControllerFacts(
                id=i, name=f"C{i}", status=self.rng.choice(["active", "active", "ended"])
            )
            for i in range(self.controller_count)
        )

    def dpas(self):
        return tuple(
            DpaFacts(
                id=i,
                controller_id=i % self.controller_count,
                version=i // self.controller_count + 1,
                title="DPA",
                status=self.rng.choice(["signed", "signed", "draft", "superseded"]),
                subprocessor_authorisation=self.rng.choice(["general", "specific"]),
                effective_from=self.maybe_day(),
                expires_on=self.maybe_day(),
                review_due_on=self.maybe_day(),
                clauses=ALL_CLAUSES,
                breach_notice_hours=self.rng.choice([None, 24, 48, 72]),
            )
            for i in range(2 * self.controller_count)
        )

    def instructions(self):
        return tuple(
            InstructionFacts(
                id=i,
                controller_id=i % self.controller_count,
                title="Instruction",
                version=1,
                received_on=self.day(),
                acknowledged_on=self.maybe_day(),
            )
            for i in range(2 * self.controller_count)
        )

    def subcontractors(self):
        return tuple(
            SubcontractorFacts(
                id=i,
                name=f"S{i}",
                country=self.rng.choice(["FI", "US", "GB", "IN"]),
                status=self.rng.choice(["proposed", "active", "offboarded"]),
                risk_tier=self.rng.choice(["low", "medium", "high"]),
                handles_card_data=self.rng.random() < 0.2,
                transfer_mechanism=self.rng.choice([None, "dpf", "adequacy", "bcr"]),
                flow_downs=self.flow_downs(i),
                breach_notice_hours=self.rng.choice([None, 24, 72]),
            )
            for i in range(self.subcontractor_count)
        )

    def attestations(self):
        return tuple(
            AttestationFacts(
                id=i,
                subcontractor_id=self.rng.randrange(self.subcontractor_count),
                type_code=self.rng.choice(ATTESTATION_TYPES).code,
                review=self.rng.choice(["pending", "accepted", "accepted", "rejected"]),
                issued_on=self.maybe_day(),
                period_end=self.maybe_day(),
                bridge_letter_until=self.maybe_day(),
            )
            for i in range(10 * self.subcontractor_count)
        )

    def engagements(self, scope_all_every: int):
        return tuple(
            EngagementFacts(
                id=i,
                subcontractor_id=self.rng.randrange(self.subcontractor_count),
                controller_id=(
                    None if i % scope_all_every == 0 else self.rng.randrange(self.controller_count)
                ),
                on_list_at_signing=self.rng.random() < 0.5,
                notified_on=self.maybe_day(),
                objected_on=self.maybe_day(chance=0.05),
                withdrawn_on=self.maybe_day(chance=0.05),
            )
            for i in range(10 * self.controller_count)
        )


def large_registry(
    seed: int, controllers: int, subcontractors: int, scope_all_every: int = 500
) -> RegistryFacts:
    """Return a random registry: 2 DPAs and instructions and 10 engagements per controller."""
    rows = RandomRows(seed, controllers, subcontractors)
    return RegistryFacts(
        controllers=rows.controllers(),
        dpas=rows.dpas(),
        instructions=rows.instructions(),
        subcontractors=rows.subcontractors(),
        attestation_types=ATTESTATION_TYPES,
        attestations=rows.attestations(),
        requirement_groups=REQUIREMENT_GROUPS,
        engagements=rows.engagements(scope_all_every),
    )


def test_a_registry_of_a_few_thousand_rows_is_assessed():
    facts = large_registry(seed=1, controllers=500, subcontractors=30, scope_all_every=100)
    result = assess(facts, TODAY)
    assert set(result.controller_status) == set(range(500))
    assert set(result.subcontractor_status) == set(range(30))
    assert len(result.engagement_status) > len(facts.engagements)
