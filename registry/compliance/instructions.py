"""Rules for documented instructions from controllers."""

from datetime import date

from registry.compliance.dates import add_working_days
from registry.compliance.facts import ControllerFacts, InstructionFacts
from registry.compliance.findings import Finding, make_finding
from registry.compliance.messages import say

ACKNOWLEDGEMENT_WORKING_DAYS = 5


def acknowledgement_due_on(instruction: InstructionFacts) -> date:
    """Return the last day to acknowledge `instruction`: 5 working days after receipt."""
    return add_working_days(instruction.received_on, ACKNOWLEDGEMENT_WORKING_DAYS)


def instruction_finding(
    instruction: InstructionFacts, controller: ControllerFacts, today: date
) -> Finding | None:
    """Return the finding for a current instruction not acknowledged in time, or None.

    A version received after `today` does not exist yet on `today`, and one superseded later
    was still current.
    """
    if not instruction.is_current_on(today):
        return None
    # An acknowledgement recorded after `today` had not happened yet on `today`.
    if instruction.acknowledged_on is not None and instruction.acknowledged_on <= today:
        return None
    due_on = acknowledgement_due_on(instruction)
    if due_on >= today:
        return None
    return make_finding(
        "instruction_unacknowledged",
        instruction.id,
        say("instruction_unacknowledged", title=instruction.title,
            version=instruction.version, controller=controller.name, date=due_on),
        due_on=due_on,
        controller_id=controller.id,
    )
