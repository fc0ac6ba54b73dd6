"""Registering instructions, their new versions and acknowledgements through the API.

The body is the web's InstructionForm (without its optional PDF: attach one on the web page),
validated by that form, and the instructions area's operations write and audit: a new
instruction falls under the controller's DPA in force, a new version supersedes the latest one
(a version of an older one is refused with 409, as the web refuses it), and an acknowledgement
is recorded once.
"""

from typing import Annotated

from pydantic import Field

from registry.api import catalogue
from registry.api.endpoints import operation
from registry.api.resources import get_row, row_response
from registry.api.schemas import Day, Strict
from registry.api.writes import actor, blank_values, change_row, refusals, validated_form
from registry.auth.access import STAFF
from registry.instructions import operations
from registry.instructions.forms import InstructionForm
from registry.validation import INSTRUCTION_TEXT_LENGTH

Title = Annotated[str, Field(min_length=1, max_length=200, pattern=r"\S")]
Text = Annotated[str, Field(min_length=1, max_length=INSTRUCTION_TEXT_LENGTH, pattern=r"\S")]
Source = Annotated[str, Field(max_length=300, description=(
    "Where it came from: DPA annex, e-mail, ticket number."))]


class InstructionCreate(Strict):
    """A documented instruction from the controller, as received (the web form's fields)."""

    title: Title
    text: Annotated[Text, Field(description="The controller's words, as received.")]
    source: Source = ""
    received_on: Annotated[Day, Field(description="Not in the future.")]
    effective_from: Day | None = Field(None, description="Omit when it applies from receipt.")


class InstructionVersion(Strict):
    """A changed instruction: title and source default to the version it supersedes."""

    title: Title | None = None
    text: Text
    source: Source | None = None
    received_on: Annotated[Day, Field(description="Not in the future.")]
    effective_from: Day | None = Field(None, description="Omit when it applies from receipt.")


def _register(controller, values, source=None):
    form = validated_form(InstructionForm, {**blank_values(InstructionForm), **values})
    with refusals(operations.InstructionStateError):
        return operations.register_instruction(
            controller, form.values(), None, actor(),
            dpa=operations.current_dpa_id(controller), supersedes=source)


def _created(instructions, instruction):
    return row_response(instructions, instruction, 201,
                        {"Location": f"/api/v1/instructions/{instruction.id}"})


def register(blueprint):
    """Add the instruction writes to `blueprint`."""
    controllers = catalogue.BY_PATH["controllers"]
    instructions = catalogue.BY_PATH["instructions"]
    created_link = {"GetCreatedInstruction": ("get_instruction", "instruction_id")}

    @operation(blueprint, "POST", "/controllers/<int:controller_id>/instructions",
               tag="Instructions", roles=STAFF, scope="write", body=InstructionCreate,
               response=instructions.schema, status=201, errors=(400, 404, 409, 415, 422),
               links=created_link)
    def create_instruction(controller_id, body):
        """Register a controller's instruction (as the New instruction form does)."""
        controller = get_row(controllers, controller_id)
        return _created(instructions, _register(controller, body.model_dump()))

    @operation(blueprint, "POST", "/instructions/<int:instruction_id>/versions",
               tag="Instructions", roles=STAFF, scope="write", body=InstructionVersion,
               response=instructions.schema, status=201, errors=(400, 404, 409, 415, 422),
               links=created_link)
    def create_instruction_version(instruction_id, body):
        """Register a changed instruction as the next version of the latest one."""
        source = get_row(instructions, instruction_id)
        values = {"title": source.title, "source": source.source,
                  **body.model_dump(exclude_none=True)}
        values.setdefault("effective_from", None)
        return _created(instructions, _register(source.controller, values, source))

    @operation(blueprint, "POST", "/instructions/<int:instruction_id>/acknowledge",
               tag="Instructions", roles=STAFF, scope="write", response=instructions.schema,
               if_match=True, errors=(400, 404, 409, 412, 428))
    def acknowledge_instruction(instruction_id, if_match):
        """Record that you acknowledged the instruction today (once per instruction)."""
        return change_row(instructions, instruction_id, if_match,
                          lambda row, version: operations.acknowledge(row, actor(), version),
                          operations.InstructionStateError)
