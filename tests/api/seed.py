"""A small registry for the API tests: one of every resource, with ids the tests can name."""

from registry.models import AssistanceRequest, Incident, SubjectRequest, utcnow
from tests.registry_factories import (
    days,
    make_attestation,
    make_controller,
    make_document,
    make_dpa,
    make_engagement,
    make_instruction,
    make_subcontractor,
)


def seed_registry():
    """Create a controller with a DPA and an instruction, two subcontractors (one engaged, each
    with attestations, one pending with a PDF), an incident and two kinds of request."""
    controller = make_controller()
    dpa = make_dpa(controller)
    make_instruction(controller, dpa=dpa)
    engaged = make_subcontractor()
    other = make_subcontractor(flow_down=False)
    make_engagement(engaged, controller)
    make_attestation(engaged, document=make_document("iso.pdf"))
    make_attestation(engaged, review="pending", document=make_document("pending.pdf"))
    make_attestation(other, review="pending")
    now = utcnow()
    Incident.create(reference="INC-1", title="Lost laptop", aware_at=now,
                    detected_by="subcontractor", subcontractor=engaged)
    Incident.create(reference="INC-2", title="Misdirected e-mail", aware_at=now)
    SubjectRequest.create(reference="SR-1", received_at=now, channel="email",
                          request_type="access", controller=controller,
                          subject_reference="customer 42", due_at=now)
    AssistanceRequest.create(reference="AR-1", kind="dpia", controller=controller,
                             received_on=days(-2), due_on=days(10))
    return {"controller": controller, "dpa": dpa, "engaged": engaged, "other": other}
