"""Writes to instructions: register (a new one or a new version), acknowledge, attach a PDF.

Instructions are never edited in place: a change is a new version that supersedes the last.
"""

from registry import audit, documents
from registry.audit_trail.changes import change_details, creation_details, field_values
from registry.checks import current_snapshot
from registry.clock import local_today
from registry.compliance import current_dpa
from registry.db import write_transaction
from registry.editing import check_version, lock, save_fields
from registry.models import Instruction

FIELDS = ("title", "text", "source", "received_on", "effective_from", "version", "supersedes",
          "dpa", "document", "acknowledged_on", "acknowledged_by")


class InstructionStateError(Exception):
    """The action does not fit the instruction (a version of an old version, acknowledged twice)."""


def is_superseded(instruction):
    """Tell whether a later version supersedes this instruction."""
    return Instruction.select().where(Instruction.supersedes == instruction).exists()


def current_dpa_id(controller):
    """Return the id of the controller's DPA in force today (a new instruction falls under it)."""
    snapshot = current_snapshot()
    facts = [dpa for dpa in snapshot.facts.dpas if dpa.controller_id == controller.id]
    current = current_dpa(facts, snapshot.assessment.today)
    return current.id if current else None


def register_instruction(controller, values, upload, actor, dpa=None, supersedes=None):
    """Register an instruction (or a new version of `supersedes`) and audit it; return it."""
    checked = documents.check_upload(upload) if upload is not None else None
    with write_transaction():
        if supersedes is not None:
            supersedes = lock(Instruction, supersedes.id)
        if supersedes is not None and is_superseded(supersedes):
            raise InstructionStateError("A newer version exists; start from the latest one.")
        document = documents.save_upload(checked, actor) if checked else None
        instruction = Instruction.create(
            controller=controller, dpa=dpa, supersedes=supersedes, document=document,
            version=supersedes.version + 1 if supersedes else 1, **values)
        what = f"version {instruction.version} of" if supersedes else "new"
        audit.record("instruction.registered", instruction,
                     f"{controller.name}: {what} instruction “{instruction.title}”",
                     creation_details(instruction, FIELDS), actor=actor)
    return instruction


def acknowledge(instruction, actor, seen_version=None):
    """Record that `actor` acknowledged the instruction today; a second acknowledgement is refused.

    The acknowledgement is checked on the row as it is inside the transaction, so of two people
    acknowledging at once the second is told it was done already. `seen_version` (the API's
    If-Match) is the row_version the caller read: StaleEdit when the row changed since.
    """
    with write_transaction():
        current = lock(Instruction, instruction.id)
        check_version(current, seen_version, f"Instruction “{current.title}”")
        if current.acknowledged_on is not None:
            raise InstructionStateError("This instruction was acknowledged already.")
        before = field_values(current, FIELDS)
        current.acknowledged_on = local_today()
        current.acknowledged_by = actor
        save_fields(current, ["acknowledged_on", "acknowledged_by"])
        audit.record("instruction.acknowledged", current,
                     f"Instruction “{current.title}” v{current.version} acknowledged",
                     change_details(before, field_values(current, FIELDS)), actor=actor)
    return current


def check_can_attach(instruction):
    """Raise InstructionStateError when the instruction has its document already."""
    if instruction.document_id is not None:
        raise InstructionStateError("This instruction has a document already.")


def attach_document(instruction, upload, actor, seen_version=None):
    """Attach a PDF to an instruction registered without one.

    `seen_version` as for `acknowledge`.
    """
    check_can_attach(instruction)
    checked = documents.check_upload(upload)
    with write_transaction():
        current = lock(Instruction, instruction.id)
        check_version(current, seen_version, f"Instruction “{current.title}”")
        check_can_attach(current)
        before = field_values(current, FIELDS)
        current.document = documents.save_upload(checked, actor)
        save_fields(current, ["document"])
        audit.record("instruction.document_attached", current,
                     f"Document attached to instruction “{current.title}”",
                     change_details(before, field_values(current, FIELDS)), actor=actor)
    return current
