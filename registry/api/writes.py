"""The API's writes, each through the web form's own validators and the area's operations.

A JSON body is turned into the form data the web form would have received and validated by
that form (CSRF off: the API has no cookies), so messages, normalisation and rules are the
web's; the operation then writes and audits exactly as for a form post. An update must carry
`If-Match` with the ETag read (`"r<row_version>"`): the operation re-checks that version inside
its transaction, so a change made meanwhile is refused with 412, never overwritten.
"""

from datetime import date
from typing import Annotated, Literal

from flask_login import current_user
from pydantic import EmailStr, Field
from werkzeug.datastructures import MultiDict

from registry.api import (
    assistance_writes,
    catalogue,
    dpa_writes,
    engagement_writes,
    incident_writes,
    instruction_writes,
    request_writes,
    subcontractor_writes,
)
from registry.api.endpoints import operation
from registry.api.problems import Problem
from registry.api.resources import etag_of, get_row, row_response
from registry.api.schemas import Day, Strict
from registry.attestations.operations import ReviewError, accept_attestation, reject_attestation
from registry.auth.access import STAFF
from registry.compliance.facts import CONTROLLER_STATUSES
from registry.controllers import operations as controller_operations
from registry.controllers.forms import ControllerForm
from registry.editing import StaleEdit

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


def _form_value(value):
    if isinstance(value, bool):
        return "y" if value else ""  # a checked box sends a value, an unchecked one none
    if isinstance(value, list):
        return "\n".join(str(item) for item in value)
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else str(value)


def validated_form(form_class, values, prepare=None, multiple=()):
    """Return the web form filled from `values` and validated; 422 with its messages if not.

    `prepare(form)` does what the web view does before validating (e.g. offer the choices).
    The fields named in `multiple` take several values (ticked boxes), one per list item.
    """
    data = MultiDict()
    for name, value in values.items():
        if name in multiple:
            data.setlist(name, [_form_value(item) for item in value])
        else:
            data[name] = _form_value(value)
    form = form_class(formdata=data, meta={"csrf": False})
    if prepare is not None:
        prepare(form)
    if not form.validate():
        raise Problem(422, "The request has invalid members.", errors={
            name: [str(message) for message in messages]
            for name, messages in form.errors.items()})
    return form


def seen_version(row, tag):
    """Return the row_version the If-Match tag names; 412 unless it is the row's (or `*`)."""
    if tag == "*":
        return row.row_version
    if tag != etag_of(row):
        raise Problem(412, "The resource changed since you read it: read it again (its ETag "
                           "changed), then send your change with the new ETag.")
    return row.row_version


def form_values(form):
    """Return the data of a filled form by field name (not its buttons or CSRF token)."""
    return {field.name: field.data for field in form
            if field.type not in ("SubmitField", "CSRFTokenField")}


def blank_values(form_class):
    """Return what a new, untouched web form would send (its defaults, empty fields)."""
    return form_values(form_class(formdata=None, meta={"csrf": False}))


def register(blueprint):
    """Add the write operations to `blueprint`."""
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
        created = controller_operations.create_controller(form.values(), current_user)
        return row_response(controllers, created, 201,
                            {"Location": f"/api/v1/controllers/{created.id}"})

    @operation(blueprint, "PATCH", "/controllers/<int:controller_id>", tag="Controllers",
               roles=STAFF, scope="write", body=ControllerChange, response=controllers.schema,
               if_match=True, errors=(400, 404, 412, 415, 422, 428))
    def update_controller(controller_id, body, if_match):
        """Change a controller's details (as its Edit form does)."""
        controller = get_row(controllers, controller_id)
        version = seen_version(controller, if_match)
        values = {**form_values(ControllerForm.for_controller(controller)),
                  **body.model_dump(exclude_unset=True)}
        form = validated_form(ControllerForm, values)
        try:
            saved = controller_operations.update_controller(controller, form.values(),
                                                            current_user, version)
        except StaleEdit as stale:
            raise Problem(412, str(stale)) from None
        return row_response(controllers, saved)

    @operation(blueprint, "POST", "/attestations/<int:attestation_id>/review",
               tag="Attestations", roles=STAFF, scope="write", body=AttestationDecision,
               response=attestations.schema, errors=(400, 404, 409, 415, 422))
    def review_attestation(attestation_id, body):
        """Accept or reject a pending attestation (as the review queue does)."""
        attestation = get_row(attestations, attestation_id)
        if body.decision == "reject" and not body.reason.strip():
            raise Problem(422, "Say why the attestation is rejected: the subcontractor reads it.",
                          errors={"reason": ["Required to reject."]})
        try:
            if body.decision == "accept":
                outcome = accept_attestation(attestation, current_user._get_current_object())
            else:
                outcome = reject_attestation(attestation, current_user._get_current_object(),
                                             body.reason)
        except ReviewError as error:
            raise Problem(409, str(error)) from None
        return row_response(attestations, outcome.attestation)

    subcontractor_writes.register(blueprint)
    instruction_writes.register(blueprint)
    engagement_writes.register(blueprint)
    incident_writes.register(blueprint)
    request_writes.register(blueprint)
    assistance_writes.register(blueprint)
    dpa_writes.register(blueprint)
