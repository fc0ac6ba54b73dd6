"""Creating and changing controllers, and reviewing attestations, through the API.

The bodies fill the web's ControllerForm (members not sent keep the stored values, or the new
form's defaults) and the review queue's decision; the controllers area's operations and the
attestation review write and audit as for the pages.
"""

from typing import Annotated, Literal

from pydantic import EmailStr, Field

from registry.api import catalogue
from registry.api.endpoints import operation
from registry.api.problems import Problem
from registry.api.resources import get_row, row_response
from registry.api.schemas import Day, Strict
from registry.api.writes import (
    actor,
    blank_values,
    change_row,
    form_values,
    refusals,
    validated_form,
)
from registry.attestations.operations import ReviewError, accept_attestation, reject_attestation
from registry.auth.access import STAFF
from registry.compliance.facts import CONTROLLER_STATUSES
from registry.controllers import operations as controller_operations
from registry.controllers.forms import ControllerForm

Name = Annotated[str, Field(min_length=1, max_length=200, pattern=r"\S")]
Country = Annotated[str, Field(pattern=r"^[A-Za-z]{2}$", description="ISO 3166 alpha-2")]
Line = Annotated[str, Field(max_length=200, pattern=r"^[^,\r\n]*$")]


class ControllerCreate(Strict):
    """A new controller: the fields of the web form."""

    name: Name
    country: Country = "FI"
    business_id: Annotated[str, Field(max_length=50)] = ""
    privacy_contacts: Annotated[list[EmailStr], Field(min_length=1, max_length=20)]
    services: Annotated[list[Line], Field(max_length=10)] = []
    ordered_via: Annotated[str, Field(max_length=200)] = ""
    status: Literal[CONTROLLER_STATUSES] = "active"
    ended_on: Day | None = Field(None, description="Required when the status is ended.")
    notes: Annotated[str, Field(max_length=5000)] = ""


class ControllerChange(Strict):
    """A change to a controller: only the members sent change."""

    name: Name | None = None
    country: Country | None = None
    business_id: Annotated[str, Field(max_length=50)] | None = None
    privacy_contacts: Annotated[list[EmailStr], Field(min_length=1, max_length=20)] | None = None
    services: Annotated[list[Line], Field(max_length=10)] | None = None
    ordered_via: Annotated[str, Field(max_length=200)] | None = None
    status: Literal[CONTROLLER_STATUSES] | None = None
    ended_on: Day | None = None
    notes: Annotated[str, Field(max_length=5000)] | None = None


class AttestationDecision(Strict):
    """A review decision on a pending attestation."""

    decision: Literal["accept", "reject"]
    reason: Annotated[str, Field(max_length=2000, description=(
        "Required to reject: the subcontractor reads it."))] = ""


def register(blueprint):
    """Add the controller writes and the attestation review to `blueprint`."""
    controllers = catalogue.BY_PATH["controllers"]
    attestations = catalogue.BY_PATH["attestations"]

    @operation(blueprint, "POST", "/controllers", tag="Controllers", roles=STAFF,
               scope="write", body=ControllerCreate, response=controllers.schema, status=201,
               errors=(400, 415, 422),
               links={"GetCreatedController": ("get_controller", "controller_id")})
    def create_controller(body):
        """Register a controller (as the New controller form does)."""
        form = validated_form(ControllerForm, {**blank_values(ControllerForm),
                                               **body.model_dump()})
        created = controller_operations.create_controller(form.values(), actor())
        return row_response(controllers, created, 201,
                            {"Location": f"/api/v1/controllers/{created.id}"})

    @operation(blueprint, "PATCH", "/controllers/<int:controller_id>", tag="Controllers",
               roles=STAFF, scope="write", body=ControllerChange, response=controllers.schema,
               if_match=True, errors=(400, 404, 412, 415, 422, 428))
    def update_controller(controller_id, body, if_match):
        """Change a controller's details (as its Edit form does)."""

        def change(controller, version):
            values = {**form_values(ControllerForm.for_controller(controller)),
                      **body.model_dump(exclude_unset=True)}
            form = validated_form(ControllerForm, values)
            return controller_operations.update_controller(controller, form.values(), actor(),
                                                           version)

        return change_row(controllers, controller_id, if_match, change)

    @operation(blueprint, "POST", "/attestations/<int:attestation_id>/review",
               tag="Attestations", roles=STAFF, scope="write", body=AttestationDecision,
               response=attestations.schema, errors=(400, 404, 409, 415, 422))
    def review_attestation(attestation_id, body):
        """Accept or reject a pending attestation (as the review queue does)."""
        attestation = get_row(attestations, attestation_id)
        if body.decision == "reject" and not body.reason.strip():
            raise Problem(422, "Say why the attestation is rejected: the subcontractor reads it.",
                          errors={"reason": ["Required to reject."]})
        with refusals(ReviewError):
            if body.decision == "accept":
                outcome = accept_attestation(attestation, actor())
            else:
                outcome = reject_attestation(attestation, actor(), body.reason)
        return row_response(attestations, outcome.attestation)
