"""Recording and answering controllers' assistance requests through the API, with the
requests area's forms and operations.

The bodies fill the pages' AssistanceRequestForm (offered the same active controllers) and
AnswerForm; an answer sent as JSON has no PDF (attach one on the web page when the answer was
a document) and is checked against the version read (If-Match).
"""

from typing import Annotated, Literal

from pydantic import Field

from registry.api import catalogue
from registry.api.endpoints import operation
from registry.api.resources import row_response
from registry.api.schemas import Day, Id, Strict
from registry.api.writes import actor, change_row, refusals, validated_form
from registry.auth.access import STAFF
from registry.compliance.requests import ASSISTANCE_KIND_LABELS
from registry.requests import operations, queries
from registry.requests.forms import AnswerForm, AssistanceRequestForm
from registry.validation import LONG_TEXT_LENGTH

Text = Annotated[str, Field(min_length=1, max_length=LONG_TEXT_LENGTH, pattern=r"\S")]


class AssistanceRequestCreate(Strict):
    """A controller's request for assistance (the New assistance request form's fields)."""

    kind: Literal[tuple(ASSISTANCE_KIND_LABELS)]
    controller_id: Annotated[Id, Field(description="An active controller.")]
    received_on: Annotated[Day, Field(description="Not in the future.")]
    due_on: Annotated[Day, Field(description="Not before received_on.")]
    summary: Annotated[Text, Field(description="What the controller asks.")]


class AssistanceAnswer(Strict):
    """The answer given (a PDF of it is attached on the web page)."""

    answered_on: Annotated[Day, Field(description="Not in the future, nor before it arrived.")]
    answer: Annotated[Text, Field(description="A summary of the answer.")]


def _offer_controllers(form):
    form.controller.choices = queries.controller_choices()


def register(blueprint):
    """Add the assistance request writes to `blueprint`."""
    requests = catalogue.BY_PATH["assistance_requests"]

    @operation(blueprint, "POST", "/assistance-requests", tag="Requests", roles=STAFF,
               scope="write", body=AssistanceRequestCreate, response=requests.schema,
               status=201, errors=(400, 409, 415, 422),
               links={"GetCreatedAssistanceRequest": ("get_assistance_request",
                                                      "assistance_request_id")})
    def create_assistance_request(body):
        """Record a controller's request for assistance (as its New form does)."""
        values = body.model_dump(exclude={"controller_id"})
        values["controller"] = body.controller_id
        form = validated_form(AssistanceRequestForm, values, _offer_controllers)
        with refusals(operations.RequestError):
            row = operations.record_assistance_request(form.values(), actor())
        return row_response(requests, row, 201,
                            {"Location": f"/api/v1/assistance-requests/{row.id}"})

    @operation(blueprint, "POST", "/assistance-requests/<int:assistance_request_id>/answer",
               tag="Requests", roles=STAFF, scope="write", body=AssistanceAnswer,
               response=requests.schema, if_match=True,
               errors=(400, 404, 409, 412, 415, 422, 428))
    def answer_assistance_request(assistance_request_id, body, if_match):
        """Record the answer given to an assistance request (once)."""

        def answer(row, version):
            form = validated_form(AnswerForm, body.model_dump())
            return operations.answer_assistance_request(
                row, form.answered_on.data, form.answer.data.strip(), None, version, actor())

        return change_row(requests, assistance_request_id, if_match, answer,
                          operations.RequestError)
