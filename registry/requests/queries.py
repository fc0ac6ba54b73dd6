"""Named reads of data-subject and assistance requests: the engine's facts (one query each),
the lookups that answer 404, the lists with their filters and pages, and the form choices."""

from dataclasses import dataclass

from flask import abort
from flask_babel import lazy_gettext as _l
from peewee import JOIN
from wtforms.fields.choices import SelectChoice

from registry.compliance import (
    AssistanceRequestFacts,
    SubjectRequestFacts,
    assistance_state,
    forward_state,
    hours_left,
)
from registry.incidents.queries import aware, registry_zone
from registry.models import AssistanceRequest, Controller, Document, SubjectRequest
from registry.requests.forms import TYPE_NAMES

PER_PAGE = 25


def subject_request_facts(row, zone=None):
    """Return a subject request row as the engine's SubjectRequestFacts (instants in `zone`)."""
    zone = zone or registry_zone()
    return SubjectRequestFacts(
        id=row.id, reference=row.reference, request_type=row.request_type,
        received_at=aware(row.received_at, zone), due_at=aware(row.due_at, zone),
        controller_id=row.controller_id, forwarded_at=aware(row.forwarded_at, zone),
        closed_at=aware(row.closed_at, zone))


def load_subject_requests():
    """Return every data-subject request as SubjectRequestFacts."""
    zone = registry_zone()
    query = SubjectRequest.select(
        SubjectRequest.id, SubjectRequest.reference, SubjectRequest.request_type,
        SubjectRequest.received_at, SubjectRequest.due_at, SubjectRequest.controller,
        SubjectRequest.forwarded_at, SubjectRequest.closed_at,
    ).order_by(SubjectRequest.id)
    return tuple(subject_request_facts(row, zone) for row in query)


def assistance_request_facts(row):
    """Return an assistance request row as the engine's AssistanceRequestFacts."""
    return AssistanceRequestFacts(
        id=row.id, reference=row.reference, kind=row.kind, controller_id=row.controller_id,
        received_on=row.received_on, due_on=row.due_on, answered_on=row.answered_on)


def load_assistance_requests():
    """Return every assistance request as AssistanceRequestFacts."""
    query = AssistanceRequest.select(
        AssistanceRequest.id, AssistanceRequest.reference, AssistanceRequest.kind,
        AssistanceRequest.controller, AssistanceRequest.received_on, AssistanceRequest.due_on,
        AssistanceRequest.answered_on,
    ).order_by(AssistanceRequest.id)
    return tuple(assistance_request_facts(row) for row in query)


def get_subject_request_or_404(request_id):
    """Return the data-subject request (with its controller) or answer 404."""
    row = (SubjectRequest.select(SubjectRequest, Controller)
           .join(Controller, JOIN.LEFT_OUTER)
           .where(SubjectRequest.id == request_id).first())
    if row is None:
        abort(404)
    return row


def get_assistance_request_or_404(request_id):
    """Return the assistance request (with its controller and answer document) or answer 404."""
    row = (AssistanceRequest.select(AssistanceRequest, Controller, Document)
           .join(Controller)
           .switch(AssistanceRequest)
           .join(Document, JOIN.LEFT_OUTER)
           .where(AssistanceRequest.id == request_id).first())
    if row is None:
        abort(404)
    return row


@dataclass(frozen=True)
class ForwardView:
    """A data-subject request's deadline as a page shows it, at one instant."""

    state: str
    hours_left: int
    due_at: object

    @property
    def is_waiting(self):
        """Tell whether it still has to be forwarded."""
        return self.state in ("due", "overdue")


def forward_view(row, now):
    """Return the ForwardView of a subject request row at the aware instant `now`."""
    facts = subject_request_facts(row)
    return ForwardView(state=forward_state(facts, now), hours_left=hours_left(facts.due_at, now),
                       due_at=facts.due_at)


def is_sending(row):
    """Tell whether the forwarding e-mail waits for the worker."""
    return bool(row.forward_recipients) and row.forwarded_at is None and not row.forward_error


@dataclass(frozen=True)
class ListFilters:
    """A request list's filters: controller (0: not identified), open or closed, kind, page."""

    controller: int | None = None
    status: str = ""
    kind: str = ""
    page: int = 1

    @classmethod
    def from_args(cls, args, kinds):
        """Read the filters from query arguments (unknown values are ignored)."""
        status, kind = args.get("status", ""), args.get("kind", "")
        return cls(controller=args.get("controller", type=int),
                   status=status if status in ("open", "closed") else "",
                   kind=kind if kind in kinds else "",
                   page=max(args.get("page", 1, type=int) or 1, 1))

    def as_args(self, **changes):
        """Return the non-empty filters as query arguments (controller 0 is a filter)."""
        values = {"controller": self.controller, "status": self.status, "kind": self.kind,
                  **changes}
        return {name: value for name, value in values.items()
                if value or (name == "controller" and value == 0)}


def _page(query, filters):
    total = query.count()
    pages = max((total + PER_PAGE - 1) // PER_PAGE, 1)
    page = min(filters.page, pages)
    return list(query.paginate(page, PER_PAGE)), total, page, pages


def subject_request_page(filters):
    """Return (data-subject requests of the page, total, page, pages), the latest first."""
    query = SubjectRequest.select(SubjectRequest, Controller).join(Controller, JOIN.LEFT_OUTER)
    if filters.controller == 0:
        query = query.where(SubjectRequest.controller.is_null())
    elif filters.controller is not None:
        query = query.where(SubjectRequest.controller == filters.controller)
    if filters.status == "open":
        query = query.where(SubjectRequest.closed_at.is_null())
    elif filters.status == "closed":
        query = query.where(SubjectRequest.closed_at.is_null(False))
    if filters.kind:
        query = query.where(SubjectRequest.request_type == filters.kind)
    return _page(query.order_by(SubjectRequest.received_at.desc(), SubjectRequest.id.desc()),
                 filters)


def assistance_request_page(filters):
    """Return (assistance requests of the page, total, page, pages), the latest first."""
    query = AssistanceRequest.select(AssistanceRequest, Controller).join(Controller)
    if filters.controller:
        query = query.where(AssistanceRequest.controller == filters.controller)
    if filters.status == "open":
        query = query.where(AssistanceRequest.answered_on.is_null())
    elif filters.status == "closed":
        query = query.where(AssistanceRequest.answered_on.is_null(False))
    if filters.kind:
        query = query.where(AssistanceRequest.kind == filters.kind)
    return _page(query.order_by(AssistanceRequest.received_on.desc(),
                                AssistanceRequest.id.desc()), filters)


def assistance_status(row, today):
    """Return "due", "overdue" or "answered" for an assistance request row on `today`."""
    return assistance_state(assistance_request_facts(row), today)


def controller_choices(include=None):
    """Return (id, name) choices of the active controllers (and `include`, when it has ended)."""
    query = (Controller.select(Controller.id, Controller.name)
             .where((Controller.status == "active") | (Controller.id == (include or 0)))
             .order_by(Controller.name))
    return [SelectChoice(row.id, row.name) for row in query]


def all_controller_choices():
    """Return (id, name) choices of every controller, for the lists' filters."""
    query = Controller.select(Controller.id, Controller.name).order_by(Controller.name)
    return [SelectChoice(row.id, row.name) for row in query]


@dataclass(frozen=True)
class PendingRequest:
    """An open request still to be forwarded or answered, for the dashboard."""

    kind: str  # "subject_request" or "assistance_request"
    id: int
    reference: str
    label: str
    controller_name: str
    state: str
    due_at: object = None
    hours_left: int | None = None
    due_on: object = None


def pending_subject_requests(snapshot, now):
    """Return the open data-subject requests not forwarded at `now`, soonest due first."""
    names = {controller.id: controller.name for controller in snapshot.facts.controllers}
    rows = [
        PendingRequest(kind="subject_request", id=request.id, reference=request.reference,
                       label=_l("%(right)s request", right=TYPE_NAMES[request.request_type]),
                       controller_name=names.get(request.controller_id, ""),
                       state=forward_state(request, now), due_at=request.due_at,
                       hours_left=hours_left(request.due_at, now))
        for request in snapshot.facts.subject_requests
        if request.is_open_at(now) and forward_state(request, now) in ("due", "overdue")
    ]
    return sorted(rows, key=lambda row: (row.due_at.timestamp(), row.reference))


def pending_assistance_requests(snapshot):
    """Return the assistance requests open on the snapshot's day, soonest due first."""
    today = snapshot.assessment.today
    names = {controller.id: controller.name for controller in snapshot.facts.controllers}
    rows = [
        PendingRequest(kind="assistance_request", id=request.id, reference=request.reference,
                       label=request.kind.replace("_", " ").capitalize(),
                       controller_name=names.get(request.controller_id, ""),
                       state=assistance_state(request, today), due_on=request.due_on)
        for request in snapshot.facts.assistance_requests if request.is_open_on(today)
    ]
    return sorted(rows, key=lambda row: (row.due_on, row.reference))


def requests_of_controller(controller_id):
    """Return a controller's latest data-subject and assistance requests (at most PER_PAGE of
    each, the latest first); the lists filtered by controller show them all."""
    subject = list(SubjectRequest.select()
                   .where(SubjectRequest.controller == controller_id)
                   .order_by(SubjectRequest.received_at.desc()).limit(PER_PAGE))
    assistance = list(AssistanceRequest.select()
                      .where(AssistanceRequest.controller == controller_id)
                      .order_by(AssistanceRequest.received_on.desc()).limit(PER_PAGE))
    return subject, assistance
