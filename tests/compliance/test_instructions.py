"""Instructions must be acknowledged within 5 working days of receipt."""

from datetime import date

from registry.compliance import Severity, acknowledgement_due_on, assess
from tests.compliance.builders import controller, instruction, only, registry

THURSDAY = date(2026, 3, 5)
DUE = date(2026, 3, 12)  # five working days later, across the weekend


def assess_instruction(today, **overrides):
    return assess(registry(instructions=(instruction(received_on=THURSDAY, **overrides),)), today)


def test_acknowledgement_is_due_five_working_days_after_receipt():
    assert acknowledgement_due_on(instruction(received_on=THURSDAY)) == DUE


def test_an_unacknowledged_instruction_is_fine_up_to_its_due_day():
    assert assess_instruction(DUE).findings == ()


def test_an_unacknowledged_instruction_is_amber_the_day_after():
    finding = only(assess_instruction(date(2026, 3, 13)), "instruction_")
    assert (finding.code, finding.severity, finding.due_on) == (
        "instruction_unacknowledged",
        Severity.AMBER,
        DUE,
    )
    assert (finding.subject_type, finding.area, finding.controller_id) == (
        "instruction",
        "instructions",
        1,
    )
    assert "Keep order data 6 years" in finding.message and "Acme Oy" in finding.message


def test_an_acknowledged_instruction_is_fine():
    assert assess_instruction(date(2026, 4, 1), acknowledged_on=date(2026, 3, 20)).findings == ()


def test_an_acknowledgement_dated_after_today_has_not_happened_yet():
    result = assess_instruction(date(2026, 3, 16), acknowledged_on=date(2026, 3, 20))
    assert [finding.code for finding in result.findings] == ["instruction_unacknowledged"]


def test_a_superseded_instruction_is_not_reported():
    assert assess_instruction(date(2026, 4, 1), superseded_on=date(2026, 3, 12)).findings == ()


def test_a_version_received_after_the_day_asked_supersedes_nothing_on_it():
    # DOMAIN.md "Effective dating": an instruction received after D supersedes nothing on D.
    late = assess_instruction(date(2026, 4, 1), superseded_on=date(2026, 4, 2))
    assert [finding.code for finding in late.findings] == ["instruction_unacknowledged"]


def test_an_ended_controllers_instructions_are_not_reported():
    facts = registry(
        controllers=(controller(status="ended"),),
        instructions=(instruction(received_on=THURSDAY),),
    )
    assert assess(facts, date(2026, 4, 1)).findings == ()
