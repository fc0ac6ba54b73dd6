"""What a controller's own page shows, as of today, read from the shared snapshot.

The sub-processors and pending changes are the sub-processor list PDF's own data
(`registry.reports.data.subprocessors.subprocessor_list`); what the controller may still do
about each (object, or send a late objection) follows from the engine's status and objection
deadline. Nothing here reads another controller's rows: every query is narrowed to one id.
"""

from dataclasses import dataclass, field
from datetime import date

from peewee import JOIN, fn

from registry.clock import utc_now
from registry.compliance import objection_deadline
from registry.models import (
    ControllerConfirmation,
    Incident,
    IncidentMessage,
    IncidentNotice,
    Instruction,
    SubjectRequest,
    utcnow,
)
from registry.reports.data.common import engagement_status
from registry.reports.data.subprocessors import subprocessor_list
from registry.reports.snapshot import take_snapshot


@dataclass(frozen=True)
class Action:
    """What the controller may do about one sub-processor: object in time, or late."""

    engagement_id: int
    kind: str  # "object" or "late"
    deadline: date | None
    awaiting_confirmation: bool = False


@dataclass(frozen=True)
class Objection:
    """An objection the controller made, applied or (late) under review."""

    subcontractor: str
    objected_on: date
    is_late: bool


@dataclass(frozen=True)
class InstructionLine:
    """A current instruction with the processor's acknowledgement and the controller's own."""

    instruction: Instruction
    confirmed_at: object = None
    confirmed_by: str = ""
    awaiting_confirmation: bool = False


@dataclass
class ControllerPage:
    """Everything one controller's page shows."""

    controller_id: int
    today: date
    listing: dict
    dpa: object
    actions: dict = field(default_factory=dict)
    objections: list = field(default_factory=list)
    instructions: list = field(default_factory=list)
    notices: list = field(default_factory=list)
    requests: list = field(default_factory=list)


def controller_page(controller_id, today):
    """Return the page of one controller as of `today`."""
    snapshot = take_snapshot(today, controller_id, generated_at=utc_now())
    dpa = snapshot.current_dpa(controller_id)
    waiting = _awaiting(controller_id)
    page = ControllerPage(controller_id=controller_id, today=today,
                          listing=subprocessor_list(snapshot, controller_id), dpa=dpa)
    page.actions, page.objections = _engagement_actions(snapshot, controller_id, dpa, waiting)
    page.instructions = _instructions(snapshot, controller_id, waiting)
    page.notices = breach_notices(controller_id)
    page.requests = forwarded_requests(controller_id)
    return page


def _engagements_of(snapshot, controller_id):
    today = snapshot.today
    return [engagement for engagement in snapshot.facts.engagements
            if engagement.controller_id in (None, controller_id)
            and engagement.subcontractor_id in snapshot.subcontractors
            and snapshot.subcontractors[engagement.subcontractor_id]["status"] != "offboarded"
            and not (engagement.withdrawn_on and engagement.withdrawn_on <= today)]


def _engagement_actions(snapshot, controller_id, dpa, waiting):
    """Return ({subcontractor id: Action}, [Objection]) for one controller."""
    today, actions, objections, objected = snapshot.today, {}, [], set()
    for engagement in _engagements_of(snapshot, controller_id):
        if engagement.objected_on and engagement.objected_on <= today and \
                engagement.controller_id == controller_id:
            status = engagement_status(snapshot, engagement, controller_id)
            objected.add(engagement.subcontractor_id)
            objections.append(Objection(snapshot.subcontractor_name(engagement.subcontractor_id),
                                        engagement.objected_on, status != "objected"))
            continue
        action = _action(snapshot, engagement, controller_id, dpa, waiting)
        if action is not None and (action.kind == "object" or
                                   engagement.subcontractor_id not in actions):
            actions[engagement.subcontractor_id] = action
    for subcontractor_id in objected:
        actions.pop(subcontractor_id, None)
    return actions, sorted(objections, key=lambda row: row.objected_on, reverse=True)


def _action(snapshot, engagement, controller_id, dpa, waiting):
    status = engagement_status(snapshot, engagement, controller_id)
    deadline = objection_deadline(engagement, dpa, snapshot.today)
    pending = engagement.id in waiting["engagement"]
    if status == "notified":
        return Action(engagement.id, "object", deadline, pending)
    agreed = engagement.on_list_at_signing or engagement.approved_on is not None
    if status == "authorised" and deadline is not None and not agreed:
        return Action(engagement.id, "late", deadline, pending)
    return None


def _awaiting(controller_id):
    """Return the engagement and instruction ids with a confirmation still open by e-mail."""
    rows = (ControllerConfirmation
            .select(ControllerConfirmation.engagement, ControllerConfirmation.instruction)
            .where((ControllerConfirmation.controller == controller_id)
                   & ControllerConfirmation.used_at.is_null()
                   & (ControllerConfirmation.expires_at > utcnow()))
            .tuples())
    waiting = {"engagement": set(), "instruction": set()}
    for engagement_id, instruction_id in rows:
        waiting["engagement"].add(engagement_id)
        waiting["instruction"].add(instruction_id)
    return waiting


def _instructions(snapshot, controller_id, waiting):
    current = [facts.id for facts in snapshot.facts.instructions
               if facts.controller_id == controller_id and facts.is_current_on(snapshot.today)]
    if not current:
        return []
    confirmed = instruction_confirmations(current)
    rows = Instruction.select().where(Instruction.id.in_(current)).order_by(
        Instruction.received_on.desc(), Instruction.title)
    return [InstructionLine(row, *confirmed.get(row.id, (None, "")),
                            awaiting_confirmation=row.id in waiting["instruction"])
            for row in rows]


def instruction_confirmations(instruction_ids):
    """Return {instruction id: (confirmed at, by whom)} of the controller's own confirmations."""
    rows = (ControllerConfirmation
            .select(ControllerConfirmation.instruction, ControllerConfirmation.confirmed_at,
                    ControllerConfirmation.email)
            .where(ControllerConfirmation.instruction.in_(list(instruction_ids))
                   & ControllerConfirmation.confirmed_at.is_null(False))
            .order_by(ControllerConfirmation.confirmed_at)
            .tuples())
    return {instruction_id: (at, email) for instruction_id, at, email in rows}


def breach_notices(controller_id):
    """Return the breach notices sent to the controller, newest first, with follow-up counts."""
    follow_ups = fn.COUNT(IncidentMessage.id).alias("follow_up_count")
    return list(IncidentNotice
                .select(IncidentNotice, Incident, follow_ups)
                .join(Incident)
                .switch(IncidentNotice)
                .join(IncidentMessage, JOIN.LEFT_OUTER, on=(
                    (IncidentMessage.notice == IncidentNotice.id)
                    & (IncidentMessage.kind == "follow_up")
                    & IncidentMessage.sent_at.is_null(False)))
                .where((IncidentNotice.controller == controller_id)
                       & IncidentNotice.notified_at.is_null(False))
                .group_by(IncidentNotice.id, Incident.id)
                .order_by(IncidentNotice.notified_at.desc()))


def forwarded_requests(controller_id):
    """Return the data-subject requests forwarded to the controller, newest first.

    The subject's own reference stays off the page (the forwarding e-mail carried it): the page
    is as private as its link, and the controller needs only to recognise the request.
    """
    return list(SubjectRequest
                .select(SubjectRequest.reference, SubjectRequest.request_type,
                        SubjectRequest.received_at, SubjectRequest.forwarded_at)
                .where((SubjectRequest.controller == controller_id)
                       & SubjectRequest.forwarded_at.is_null(False))
                .order_by(SubjectRequest.forwarded_at.desc()))
