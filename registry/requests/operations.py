"""Writes to data-subject and assistance requests, each in one write transaction with its audit
event.

Forwarding a data-subject request is only *queued* here (its recipients recorded on the row);
`registry.requests.delivery` mails it from the worker after the commit and records how it went.
"""

from dataclasses import dataclass
from datetime import tzinfo

from peewee import IntegrityError

from registry import audit, documents
from registry.audit_trail.changes import change_details, creation_details, field_values
from registry.clock import naive_utc_now
from registry.compliance import current_dpa, forward_due_at
from registry.compliance.requests import DEFAULT_FORWARD_DAYS
from registry.db import write_transaction
from registry.editing import check_version, lock, save_fields
from registry.incidents.operations import naive_utc
from registry.models import AssistanceRequest, Controller, Dpa, SubjectRequest

SUBJECT_FIELDS = ("reference", "received_at", "channel", "request_type", "controller",
                  "subject_reference", "details", "forward_days", "due_at", "forwarded_at",
                  "forwarded_to", "instruction", "assistance_tasks", "closed_at")
ASSISTANCE_FIELDS = ("reference", "kind", "controller", "received_on", "due_on", "summary",
                     "answered_on", "answer", "answer_document")


class RequestError(Exception):
    """The action does not fit the request now; the message says what to do instead."""


@dataclass(frozen=True)
class ForwardRules:
    """What a forwarding deadline depends on: the DPAs in the registry's facts and the time
    zone whose day picks the DPA in force and whose calendar counts working days."""

    facts: object
    zone: tzinfo


def forward_rules():
    """Return the ForwardRules of the registry now (the facts hold every DPA whatever the day;
    forward_terms picks the one of the arrival day)."""
    from registry.checks import current_snapshot
    from registry.incidents.queries import registry_zone

    return ForwardRules(facts=current_snapshot().facts, zone=registry_zone())


def forward_terms(controller_id, received_at, rules):
    """Return (the DPA's dsr_forward_days or None, aware due_at) of a request received at
    `received_at` about `controller_id` (None: unknown, the default applies)."""
    local = received_at.astimezone(rules.zone)
    days = None
    if controller_id is not None:
        dpa = current_dpa([dpa for dpa in rules.facts.dpas if dpa.controller_id == controller_id],
                          local.date())
        if dpa is not None:
            days = Dpa.select(Dpa.dsr_forward_days).where(Dpa.id == dpa.id).scalar()
    return days, forward_due_at(local, DEFAULT_FORWARD_DAYS if days is None else days)


def next_reference(model, prefix, year):
    """Return the next free reference of `year`: DSR-2026-001, DSR-2026-002 ..."""
    start = f"{prefix}-{year}-"
    taken = [row.reference[len(start):] for row in
             model.select(model.reference).where(model.reference.startswith(start))]
    numbers = [int(number) for number in taken if number.isdigit()]
    return f"{start}{max(numbers, default=0) + 1:03d}"


def _with_deadline(values, rules):
    days, due_at = forward_terms(values["controller"], values["received_at"], rules)
    return {**values, "received_at": naive_utc(values["received_at"]), "forward_days": days,
            "due_at": naive_utc(due_at)}


def _create_numbered(model, prefix, year, values, action, summary, actor, fields):
    for _attempt in range(3):  # two people recording at once may take the same number
        try:
            with write_transaction():
                row = model.create(reference=next_reference(model, prefix, year),
                                   recorded_by=actor, **values)
                audit.record(action, row, summary(row), creation_details(row, fields),
                             actor=actor)
            return row
        except IntegrityError:
            continue
    raise RequestError("Another request was recorded at the same moment; try again.")


def record_subject_request(values, rules, actor):
    """Record a data-subject request and its forwarding deadline; return it."""
    return _create_numbered(
        SubjectRequest, "DSR", values["received_at"].year, _with_deadline(values, rules),
        "subject_request.recorded",
        lambda row: f"Data-subject request {row.reference} ({row.request_type}) recorded",
        actor, SUBJECT_FIELDS)


def update_subject_request(request, values, seen_version, rules, actor):
    """Correct a request's facts; its deadline follows a new arrival time or controller."""
    with write_transaction():
        current = lock(SubjectRequest, request.id)
        check_version(current, seen_version, f"Request {current.reference}")
        if current.closed_at is not None:
            raise RequestError("This request is closed.")
        if current.forwarded_at is not None and values["controller"] != current.controller_id:
            raise RequestError("The request was forwarded already: its controller stays.")
        before = field_values(current, SUBJECT_FIELDS)
        changed = _with_deadline(values, rules)
        for name, value in changed.items():
            setattr(current, name, value)
        save_fields(current, list(changed))
        audit.record("subject_request.updated", current,
                     f"Data-subject request {current.reference} corrected",
                     change_details(before, field_values(current, SUBJECT_FIELDS)), actor=actor)
    return current


def queue_forward(request, actor):
    """Queue the e-mail forwarding the request to its controller's privacy contacts.

    A request forwarded already or on its way is left alone, so a double submission never
    mails twice. Return the request's id for `delivery.enqueue`.
    """
    with write_transaction():
        current = lock(SubjectRequest, request.id)
        if current.closed_at is not None:
            raise RequestError("This request is closed.")
        if current.controller_id is None:
            raise RequestError("Identify the controller first: correct the request and choose "
                               "whose data it is.")
        if current.forwarded_at is not None or (current.forward_recipients
                                                and not current.forward_error):
            raise RequestError("The request was forwarded already, or is on its way.")
        controller = Controller.get_by_id(current.controller_id)
        if not controller.privacy_contacts:
            raise RequestError(f"{controller.name} has no privacy contact to forward to. Add "
                               "the controller's privacy contact first.")
        current.forward_recipients = list(controller.privacy_contacts)
        current.forward_error = ""
        save_fields(current, ["forward_recipients", "forward_error"])
        audit.record("subject_request.forward_queued", current,
                     f"Data-subject request {current.reference}: forwarding to "
                     f"{controller.name} queued",
                     {"controller": controller.id, "recipients": current.forward_recipients},
                     actor=actor)
    return current.id


def record_handling(request, instruction, tasks, seen_version, actor):
    """Record the controller's instruction and the processor's assistance tasks."""
    with write_transaction():
        current = lock(SubjectRequest, request.id)
        check_version(current, seen_version, f"Request {current.reference}")
        if current.closed_at is not None:
            raise RequestError("This request is closed.")
        before = field_values(current, SUBJECT_FIELDS)
        current.instruction, current.assistance_tasks = instruction, tasks
        save_fields(current, ["instruction", "assistance_tasks"])
        audit.record("subject_request.handling_recorded", current,
                     f"Data-subject request {current.reference}: instruction and tasks updated",
                     change_details(before, field_values(current, SUBJECT_FIELDS)), actor=actor)
    return current


def close_subject_request(request, seen_version, actor):
    """Close a request once it was forwarded; it raises no more deadlines."""
    with write_transaction():
        current = lock(SubjectRequest, request.id)
        check_version(current, seen_version, f"Request {current.reference}")
        if current.closed_at is not None:
            raise RequestError("This request is closed already.")
        if current.forwarded_at is None:
            raise RequestError("Forward the request to its controller first: a request is "
                               "closed only once the controller has it.")
        before = field_values(current, SUBJECT_FIELDS)
        current.closed_at = naive_utc_now()
        save_fields(current, ["closed_at"])
        audit.record("subject_request.closed", current,
                     f"Data-subject request {current.reference} closed",
                     change_details(before, field_values(current, SUBJECT_FIELDS)), actor=actor)
    return current


def record_assistance_request(values, actor):
    """Record a controller's request for assistance; return it."""
    return _create_numbered(
        AssistanceRequest, "AR", values["received_on"].year, values,
        "assistance_request.recorded",
        lambda row: f"Assistance request {row.reference} ({row.kind}) recorded", actor,
        ASSISTANCE_FIELDS)


def update_assistance_request(request, values, seen_version, actor):
    """Correct an assistance request that is not answered yet."""
    with write_transaction():
        current = lock(AssistanceRequest, request.id)
        check_version(current, seen_version, f"Request {current.reference}")
        if current.answered_on is not None:
            raise RequestError("This request is answered; its record stays as it was.")
        before = field_values(current, ASSISTANCE_FIELDS)
        for name, value in values.items():
            setattr(current, name, value)
        save_fields(current, list(values))
        audit.record("assistance_request.updated", current,
                     f"Assistance request {current.reference} corrected",
                     change_details(before, field_values(current, ASSISTANCE_FIELDS)),
                     actor=actor)
    return current


def answer_assistance_request(request, answered_on, answer, upload, seen_version, actor):
    """Record the answer (and its PDF, checked before the write transaction opens)."""
    if answered_on < request.received_on:
        raise RequestError("The answer date cannot be before the day the request arrived.")
    checked = documents.check_upload(upload) if upload is not None else None
    with write_transaction():
        current = lock(AssistanceRequest, request.id)
        check_version(current, seen_version, f"Request {current.reference}")
        if current.answered_on is not None:
            raise RequestError("This request is answered already.")
        before = field_values(current, ASSISTANCE_FIELDS)
        current.answered_on, current.answer = answered_on, answer
        names = ["answered_on", "answer"]
        if checked is not None:
            current.answer_document = documents.save_upload(checked, actor)
            names.append("answer_document")
        save_fields(current, names)
        audit.record("assistance_request.answered", current,
                     f"Assistance request {current.reference} answered",
                     change_details(before, field_values(current, ASSISTANCE_FIELDS)),
                     actor=actor)
    return current
