"""Recording and closing data-subject requests through the API, with the requests area's form
and operations.

The body fills the page's SubjectRequestForm (the arrival as RFC 3339 with its UTC offset; no
`controller_id` when the controller is not known yet, as the page's "Unknown" choice), offered
the same controllers; the forwarding deadline is set as on the page. A request is closed once
it was forwarded, checked against the version read (If-Match). Forwarding (e-mail), the
controller's instruction and assistance requests stay on the web pages for now.
"""

from typing import Annotated, Literal

from pydantic import Field

from registry.api import catalogue
from registry.api.endpoints import operation
from registry.api.incident_writes import Instant
from registry.api.resources import row_response
from registry.api.schemas import Id, Strict
from registry.api.writes import actor, change_row, refusals, validated_form
from registry.auth.access import STAFF
from registry.compliance.requests import REQUEST_TYPES
from registry.requests import operations, queries
from registry.requests.forms import CHANNEL_LABELS, SubjectRequestForm, with_unknown
from registry.validation import LONG_TEXT_LENGTH, NAME_LENGTH


class SubjectRequestCreate(Strict):
    """A data-subject request the processor received (the New request form's fields)."""

    received_at: Annotated[Instant, Field(description="When it arrived (RFC 3339).")]
    channel: Literal[tuple(CHANNEL_LABELS)]
    request_type: Literal[tuple(REQUEST_TYPES)]
    controller_id: Id | None = Field(None, description=(
        "An active controller; omit while unknown, and identify it before the deadline."))
    subject_reference: Annotated[str, Field(min_length=1, max_length=NAME_LENGTH, pattern=r"\S",
                                            description=(
        "No more than the controller needs to find the person: a customer or order number."))]
    details: Annotated[str, Field(max_length=LONG_TEXT_LENGTH)] = ""


def _offer_controllers(form):
    form.controller.choices = with_unknown(queries.controller_choices())


def register(blueprint):
    """Add the data-subject request writes to `blueprint`."""
    requests = catalogue.BY_PATH["subject_requests"]

    @operation(blueprint, "POST", "/subject-requests", tag="Requests", roles=STAFF,
               scope="write", body=SubjectRequestCreate, response=requests.schema, status=201,
               errors=(400, 409, 415, 422),
               links={"GetCreatedSubjectRequest": ("get_subject_request", "subject_request_id")})
    def create_subject_request(body):
        """Record a data-subject request (as the New request form does)."""
        values = body.model_dump(exclude={"controller_id"})
        values["controller"] = body.controller_id
        form = validated_form(SubjectRequestForm, values, _offer_controllers)
        with refusals(operations.RequestError):
            row = operations.record_subject_request(form.values(), operations.forward_rules(),
                                                    actor())
        return row_response(requests, row, 201, {"Location": f"/api/v1/subject-requests/{row.id}"})

    @operation(blueprint, "POST", "/subject-requests/<int:subject_request_id>/close",
               tag="Requests", roles=STAFF, scope="write", response=requests.schema,
               if_match=True, errors=(400, 404, 409, 412, 428))
    def close_subject_request(subject_request_id, if_match):
        """Close a forwarded data-subject request (it raises no more deadlines)."""
        return change_row(
            requests, subject_request_id, if_match,
            lambda row, version: operations.close_subject_request(row, version, actor()),
            operations.RequestError)
