"""A small registry whose values trip spreadsheets: semicolons, "1/2", keys like "007"."""

from registry.attestations.operations import accept_attestation
from registry.models import Attestation
from tests.factories import make_user
from tests.registry_factories import (
    make_attestation,
    make_controller,
    make_document,
    make_requirement,
    make_subcontractor,
)


def evidence_world():
    """Create a controller, a subcontractor with one accepted and one pending attestation."""
    make_controller(name="Kauppa; Verkko Oy")
    make_requirement()
    subcontractor = make_subcontractor(name="Semi;colon Oy", purpose="Hosting; backups 1/2")
    legal = make_user("legal", email="reviewer@processor.example")
    accepted = make_attestation(subcontractor, review="pending", reference="007",
                                issuer="Audit; Firm", document=make_document())
    accept_attestation(accepted, legal)
    pending = make_attestation(subcontractor, review="pending", reference="1/2",
                               scope="=cmd|' /C calc'!A0")
    return subcontractor, Attestation.get_by_id(accepted.id), pending, legal
