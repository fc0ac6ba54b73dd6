"""One consistent read of the registry for a report: the engine's facts and assessment (the same
`checks.current_snapshot` every page uses), plus the descriptive columns (names, purposes,
locations) the engine does not need but paper does.

Everything is loaded with a fixed number of queries, whatever the registry's size.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from flask import current_app

from registry.checks import UnknownController, current_snapshot
from registry.compliance import Assessment, RegistryFacts, current_dpa
from registry.models import Attestation, AttestationType, Controller, Dpa, Subcontractor
from registry.settings.store import load_settings

CONTROLLER_COLUMNS = (
    Controller.id, Controller.name, Controller.business_id, Controller.country,
    Controller.privacy_contacts, Controller.services, Controller.ordered_via, Controller.status,
    Controller.ended_on,
)
SUBCONTRACTOR_COLUMNS = (
    Subcontractor.id, Subcontractor.name, Subcontractor.business_id, Subcontractor.country,
    Subcontractor.website, Subcontractor.purpose, Subcontractor.data_categories,
    Subcontractor.processing_countries, Subcontractor.transfer_mechanism, Subcontractor.tia_on,
    Subcontractor.risk_tier, Subcontractor.status,
)
DPA_DESCRIPTION_COLUMNS = (
    Dpa.id, Dpa.subject_matter, Dpa.duration, Dpa.nature_and_purpose, Dpa.personal_data_types,
    Dpa.data_subject_categories,
)


@dataclass
class Snapshot:
    """The facts, the assessment and the descriptive rows of one report, as of `today`."""

    today: date
    generated_at: datetime
    facts: RegistryFacts
    assessment: Assessment
    settings: dict
    controllers: dict = field(default_factory=dict)
    subcontractors: dict = field(default_factory=dict)
    dpas_by_controller: dict = field(default_factory=dict)
    evidence: dict = field(default_factory=dict)
    subcontractor_facts: dict = field(default_factory=dict)
    dpas_by_id: dict = field(default_factory=dict)

    def current_dpa(self, controller_id):
        """Return the controller's DPA in force today (the engine's choice), or None."""
        return current_dpa(self.dpas_by_controller.get(controller_id, ()), self.today)

    def controller_name(self, controller_id):
        """Return the name of a controller in the report's scope."""
        return self.controllers[controller_id]["name"]

    def subcontractor_name(self, subcontractor_id):
        """Return a subcontractor's name."""
        return self.subcontractors[subcontractor_id]["name"]


def take_snapshot(today, controller_id=None, *, generated_at):
    """Read the registry once and assess it as of `today`; check `controller_id` exists.

    `generated_at` (an aware datetime) is the moment the report says it was made: the caller's
    now, passed in so that nothing in a report reads the clock itself.

    Raises `registry.checks.UnknownController` for an id that names no controller.
    """
    controllers = _controller_rows(controller_id)
    if controller_id is not None and controller_id not in controllers:
        raise UnknownController(f"no controller has id {controller_id}")
    shared = current_snapshot(today)
    facts = shared.facts
    snapshot = Snapshot(
        today=today,
        generated_at=generated_at,
        facts=facts,
        assessment=shared.assessment,
        settings=load_settings(),
        controllers=controllers,
        subcontractors={
            row["id"]: row for row in Subcontractor.select(*SUBCONTRACTOR_COLUMNS).dicts()
        },
    )
    by_controller = defaultdict(list)
    for dpa in facts.dpas:
        by_controller[dpa.controller_id].append(dpa)
    snapshot.dpas_by_controller = dict(by_controller)
    snapshot.dpas_by_id = {dpa.id: dpa for dpa in facts.dpas}
    snapshot.subcontractor_facts = {facts_row.id: facts_row for facts_row in facts.subcontractors}
    snapshot.evidence = _evidence()
    return snapshot


def _controller_rows(controller_id):
    # A one-controller report names no other controller, so only that row is read.
    query = Controller.select(*CONTROLLER_COLUMNS)
    if controller_id is not None:
        query = query.where(Controller.id == controller_id)
    return {row["id"]: row for row in query.dicts()}


def _evidence():
    query = (
        Attestation.select(
            Attestation.id, AttestationType.name, Attestation.issuer, Attestation.reference,
        )
        .join(AttestationType)
        .where(Attestation.review == "accepted")
        .tuples()
    )
    return {
        attestation_id: {"type": type_name, "issuer": issuer, "reference": reference}
        for attestation_id, type_name, issuer, reference in query
    }


def dpa_descriptions(controller_ids=None):
    """Return {dpa id: its Art. 28(3) description columns}, optionally for some controllers."""
    query = Dpa.select(*DPA_DESCRIPTION_COLUMNS)
    if controller_ids is not None:
        query = query.where(Dpa.controller.in_(list(controller_ids)))
    return {row["id"]: row for row in query.dicts()}


def registry_name():
    """Return the installation's name (REGISTRY_NAME) for footers."""
    return current_app.config["REGISTRY_NAME"]
