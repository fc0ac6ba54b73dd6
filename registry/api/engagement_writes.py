"""Engaging subcontractors, and recording objections, approvals and withdrawals, via the API.

Each body fills the engagement page's own form (EngagementForm, ObjectionForm, ApprovalForm,
WithdrawForm) with the choices the web page offers, and the engagements area's operations write
and audit. A written approval sent as JSON has no PDF: it is recorded as "on file" with its
reference (where the approval is kept), as the web form records it without a file; attach a PDF
on the web page. Notifying the controllers (which sends mail) stays on the web page.
"""

from typing import Annotated, Literal

from pydantic import Field, create_model

from registry.api import catalogue
from registry.api.endpoints import json_response, operation
from registry.api.resources import get_row
from registry.api.schemas import Day, Id, Strict, serialise
from registry.api.writes import actor, change_row, refusals, validated_form
from registry.auth.access import STAFF
from registry.clock import local_today
from registry.engagements import operations, queries
from registry.engagements.forms import (
    MAX_NOTE,
    MAX_REFERENCE,
    ApprovalForm,
    EngagementForm,
    ObjectionForm,
    WithdrawForm,
)
from registry.models import Controller

Note = Annotated[str, Field(max_length=MAX_NOTE)]
Past = Annotated[Day, Field(description="Not in the future.")]


class EngagementCreate(Strict):
    """Engage a subcontractor for the controllers named, or for every controller."""

    scope: Literal["some", "all"] = Field("some", description=(
        "`all`: every controller's data (a shared service); `some`: the controllers named."))
    controller_ids: Annotated[list[Id], Field(max_length=500, description=(
        "Active controllers it is not engaged for yet; at least one unless scope is `all`."))] = []
    proposed_on: Day | None = Field(None, description="Omit for today.")
    on_list_at_signing: bool = Field(False, description=(
        "Named in the DPA's list of sub-processors at signing (authorised; no notice needed)."))
    notes: Note = ""


class ObjectionRecord(Strict):
    """A controller's objection to an engagement."""

    objected_on: Past
    note: Annotated[Note, Field(min_length=1, pattern=r"\S", description=(
        "What the controller said: who objected and why; the next steps agreed."))]
    controller_id: Id | None = Field(None, description=(
        "For an engagement for every controller: the controller that objected."))


class ApprovalRecord(Strict):
    """A controller's written approval, kept on file (a PDF is attached on the web page)."""

    approved_on: Past
    reference: Annotated[str, Field(min_length=1, max_length=MAX_REFERENCE, pattern=r"\S",
                                    description="Where the written approval is kept.")]


class WithdrawalRecord(Strict):
    """The day the subcontractor stopped processing the controller's data."""

    withdrawn_on: Past


def _engage(subcontractor, body):
    def offer_controllers(form):
        form.controllers.choices = queries.engageable_controller_choices(subcontractor)

    values = {"scope": body.scope, "controllers": body.controller_ids,
              "proposed_on": body.proposed_on or local_today(),
              "on_list_at_signing": body.on_list_at_signing, "notes": body.notes}
    form = validated_form(EngagementForm, values, offer_controllers, multiple=("controllers",))
    chosen = (None if form.scope.data == "all" else list(
        Controller.select().where(Controller.id.in_(form.controllers.data))))
    with refusals(operations.EngagementError):
        return operations.add_engagements(
            subcontractor, chosen, form.proposed_on.data, form.on_list_at_signing.data,
            (form.notes.data or "").strip(), actor())


def _object(engagement, version, body):
    def offer_controllers(form):
        if engagement.controller_id is None:
            form.controller.choices = queries.active_controller_choices()

    values = {"objected_on": body.objected_on, "note": body.note}
    if body.controller_id is not None:
        values["controller"] = body.controller_id
    form = validated_form(ObjectionForm, values, offer_controllers)
    controller = (Controller.get_or_none(Controller.id == form.controller.data)
                  if engagement.controller_id is None else None)
    return operations.record_objection(engagement, form.objected_on.data, form.note.data,
                                       actor(), controller, version)


def _approve(engagement, version, body):
    form = validated_form(ApprovalForm, {"approved_on": body.approved_on, "on_file": True,
                                         "reference": body.reference})
    return operations.record_approval(engagement, form.approved_on.data, None,
                                      form.reference.data, actor(), version)


def _withdraw(engagement, version, body):
    form = validated_form(WithdrawForm, {"withdrawn_on": body.withdrawn_on})
    return operations.withdraw_engagement(engagement, form.withdrawn_on.data, actor(), version)


CHANGES = (
    ("objection", ObjectionRecord, _object,
     "Record a controller's objection (as the engagement page does)"),
    ("approval", ApprovalRecord, _approve,
     "Record a controller's written approval kept on file (as the engagement page does)"),
    ("withdraw", WithdrawalRecord, _withdraw, "Withdraw an engagement"),
)


def _register_change(blueprint, engagements, action, body_model, change, summary):
    def record(engagement_id, body, if_match):
        return change_row(engagements, engagement_id, if_match,
                          lambda row, version: change(row, version, body),
                          operations.EngagementError)

    record.__name__ = f"record_engagement_{action}"
    operation(blueprint, "POST", f"/engagements/<int:engagement_id>/{action}",
              tag="Engagements", roles=STAFF, scope="write", body=body_model,
              response=engagements.schema, if_match=True, summary=summary,
              errors=(400, 404, 409, 412, 415, 422, 428))(record)


def register(blueprint):
    """Add the engagement writes to `blueprint`."""
    subcontractors = catalogue.BY_PATH["subcontractors"]
    engagements = catalogue.BY_PATH["engagements"]
    created_model = create_model("EngagementsCreated", items=(list[engagements.schema], ...))

    @operation(blueprint, "POST", "/subcontractors/<int:subcontractor_id>/engagements",
               tag="Engagements", roles=STAFF, scope="write", body=EngagementCreate,
               response=created_model, status=201, errors=(400, 404, 409, 415, 422))
    def create_engagements(subcontractor_id, body):
        """Engage a subcontractor for some controllers or every one (as its Engage form does)."""
        subcontractor = get_row(subcontractors, subcontractor_id)
        created = _engage(subcontractor, body)
        return json_response({"items": [serialise(row, engagements.schema).model_dump(
            mode="json") for row in created]}, 201)

    for action, body_model, change, summary in CHANGES:
        _register_change(blueprint, engagements, action, body_model, change, summary)
