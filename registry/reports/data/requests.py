"""The request register: every data-subject request (received, due, forwarded when and to whom,
the controller's instruction, our tasks) and every assistance request (received, due, answered)
known at the moment the register is judged (its making, at most the end of its day).

A one-controller register lists that controller's requests only; requests whose controller is
not identified yet appear only in the whole register.
"""

from datetime import UTC

from flask_babel import lazy_gettext as _l
from peewee import JOIN

from registry.compliance.requests import (
    ASSISTANCE_KIND_LABELS,
    REQUEST_TYPE_ARTICLES,
    forward_state,
)
from registry.incidents.queries import aware, registry_zone
from registry.models import AssistanceRequest, Controller, SubjectRequest
from registry.reports.data.common import report_meta
from registry.reports.data.incidents import judged_at
from registry.requests.queries import assistance_status, subject_request_facts

FORWARD_LABELS = {"forwarded": ("green", _l("in time")), "forwarded_late": ("amber", _l("late")),
                  "due": ("amber", _l("due")), "overdue": ("red", _l("overdue"))}
ANSWER_LABELS = {"answered": ("green", _l("answered")), "due": ("amber", _l("due")),
                 "overdue": ("red", _l("overdue"))}


def request_register(snapshot, controller_id=None):
    """Return the request register of the whole registry or of one controller."""
    at = judged_at(snapshot)
    subject = [_subject_entry(row, at) for row in _subject_rows(at, controller_id)]
    assistance = [_assistance_entry(row, snapshot.today)
                  for row in _assistance_rows(snapshot.today, controller_id)]
    report = report_meta(snapshot, _l("Request register"), controller_id)
    report.update(
        subject_requests=subject, assistance_requests=assistance,
        judged_label=at.strftime("%Y-%m-%d %H:%M %Z"),
        counts={"subject": len(subject), "assistance": len(assistance),
                "overdue": sum(1 for entry in (*subject, *assistance)
                               if entry["state"] == "overdue")},
    )
    return report


def _subject_rows(at, controller_id):
    query = (SubjectRequest.select(SubjectRequest, Controller).join(Controller, JOIN.LEFT_OUTER)
             .where(SubjectRequest.received_at <= at.astimezone(UTC).replace(tzinfo=None))
             .order_by(SubjectRequest.received_at, SubjectRequest.id))
    if controller_id is not None:
        query = query.where(SubjectRequest.controller == controller_id)
    return list(query)


def _assistance_rows(today, controller_id):
    query = (AssistanceRequest.select(AssistanceRequest, Controller).join(Controller)
             .where(AssistanceRequest.received_on <= today)
             .order_by(AssistanceRequest.received_on, AssistanceRequest.id))
    if controller_id is not None:
        query = query.where(AssistanceRequest.controller == controller_id)
    return list(query)


def _happened(instant, at):
    return instant if instant is not None and instant.astimezone(UTC) <= at.astimezone(UTC) \
        else None


def _subject_entry(row, at):
    facts = subject_request_facts(row, registry_zone())
    state = forward_state(facts, at)
    colour, label = FORWARD_LABELS[state]
    forwarded_at = _happened(facts.forwarded_at, at)
    return {
        "reference": row.reference,
        "kind": f"{row.request_type.capitalize()} ({REQUEST_TYPE_ARTICLES[row.request_type]})",
        "controller": row.controller.name if row.controller_id else "Not identified yet",
        "received_at": aware(row.received_at), "due_at": facts.due_at,
        "forwarded_at": forwarded_at,
        "forwarded_to": ", ".join(row.forwarded_to) if forwarded_at else "",
        "instruction": row.instruction, "tasks": row.assistance_tasks,
        "closed_at": _happened(facts.closed_at, at),
        "state": state, "colour": colour, "label": label,
    }


def _assistance_entry(row, today):
    state = assistance_status(row, today)
    colour, label = ANSWER_LABELS[state]
    return {
        "reference": row.reference, "kind": ASSISTANCE_KIND_LABELS[row.kind],
        "controller": row.controller.name, "received_on": row.received_on,
        "due_on": row.due_on, "summary": row.summary,
        "answered_on": row.answered_on if state == "answered" else None,
        "answer": row.answer if state == "answered" else "",
        "has_document": row.answer_document_id is not None and state == "answered",
        "state": state, "colour": colour, "label": label,
    }
