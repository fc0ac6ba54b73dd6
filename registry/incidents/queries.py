"""Named reads of incidents: the engine's facts (`load_incidents`, two queries), the incident
page's notices, the register's pages, and the choices the forms offer."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import abort, current_app
from peewee import JOIN
from wtforms.fields.choices import SelectChoice

from registry.compliance import (
    IncidentFacts,
    IncidentNoticeFacts,
    hours_left,
    notice_state,
    report_hours,
    reported_late,
)
from registry.models import Controller, Incident, IncidentMessage, IncidentNotice, Subcontractor

PER_PAGE = 25


def registry_zone():
    """Return REGISTRY_TIMEZONE as a ZoneInfo."""
    return ZoneInfo(current_app.config["TIMEZONE"])


def aware(instant, zone=None):
    """Return a stored naive UTC instant as an aware datetime in `zone` (default: the
    registry's); None stays None."""
    if instant is None:
        return None
    return instant.replace(tzinfo=UTC).astimezone(zone or registry_zone())


def load_incidents():
    """Return every incident with its notices as IncidentFacts (instants in the registry's zone)."""
    zone = registry_zone()
    notices = defaultdict(list)
    query = IncidentNotice.select(
        IncidentNotice.id, IncidentNotice.incident, IncidentNotice.controller,
        IncidentNotice.due_at, IncidentNotice.notified_at, IncidentNotice.breach_notice_hours,
    ).order_by(IncidentNotice.id).tuples()
    for id_, incident_id, controller_id, due_at, notified_at, hours in query:
        notices[incident_id].append(IncidentNoticeFacts(
            id=id_, controller_id=controller_id, due_at=aware(due_at, zone),
            notified_at=aware(notified_at, zone), hours=hours))
    query = Incident.select(
        Incident.id, Incident.reference, Incident.title, Incident.aware_at, Incident.detected_by,
        Incident.subcontractor, Incident.subcontractor_aware_at, Incident.closed_at,
    ).order_by(Incident.id).tuples()
    return tuple(
        IncidentFacts(
            id=id_, reference=reference, title=title, aware_at=aware(aware_at, zone),
            detected_by=detected_by, subcontractor_id=subcontractor_id,
            subcontractor_aware_at=aware(subcontractor_aware_at, zone),
            closed_at=aware(closed_at, zone), notices=tuple(notices[id_]))
        for (id_, reference, title, aware_at, detected_by, subcontractor_id,
             subcontractor_aware_at, closed_at) in query
    )


def get_incident_or_404(incident_id):
    """Return the incident or answer 404; roles are checked by the view."""
    incident = (Incident.select(Incident, Subcontractor)
                .join(Subcontractor, JOIN.LEFT_OUTER)
                .where(Incident.id == incident_id).first())
    if incident is None:
        abort(404)
    return incident


def notice_facts(notice, zone):
    """Return a notice row as the engine's IncidentNoticeFacts."""
    return IncidentNoticeFacts(id=notice.id, controller_id=notice.controller_id,
                               due_at=aware(notice.due_at, zone),
                               notified_at=aware(notice.notified_at, zone),
                               hours=notice.breach_notice_hours)


@dataclass(frozen=True)
class NoticeRow:
    """One affected controller's notice as the incident page shows it."""

    notice: IncidentNotice
    controller: Controller
    state: str
    hours_left: int
    due_at: datetime
    messages: tuple

    @property
    def sending(self):
        """Tell whether an e-mail of this notice waits for the worker."""
        return any(message.sent_at is None and not message.error for message in self.messages)

    @property
    def failure(self):
        """Return the error of the latest e-mail that failed and was not sent again, or ""."""
        latest = self.messages[-1] if self.messages else None
        return latest.error if latest is not None and latest.sent_at is None else ""

    @property
    def has_initial(self):
        """Tell whether the first notice was sent or is being sent."""
        return any(message.kind == "initial" and not message.error for message in self.messages)


def notice_rows(incident_ids, now):
    """Return {incident id: [NoticeRow]} (controllers by name) at the aware instant `now`."""
    zone = registry_zone()
    notices = list(IncidentNotice
                   .select(IncidentNotice, Controller)
                   .join(Controller)
                   .where(IncidentNotice.incident.in_(list(incident_ids)))
                   .order_by(Controller.name, IncidentNotice.id))
    messages = defaultdict(list)
    if notices:
        for message in (IncidentMessage.select()
                        .where(IncidentMessage.notice.in_([n.id for n in notices]))
                        .order_by(IncidentMessage.id)):
            messages[message.notice_id].append(message)
    rows = defaultdict(list)
    for notice in notices:
        facts = notice_facts(notice, zone)
        rows[notice.incident_id].append(NoticeRow(
            notice=notice, controller=notice.controller, state=notice_state(facts, now),
            hours_left=hours_left(facts.due_at, now), due_at=facts.due_at,
            messages=tuple(messages[notice.id])))
    return rows


def controller_choices(excluded=()):
    """Return (id, name) choices of the active controllers, minus `excluded` ids."""
    query = (Controller.select(Controller.id, Controller.name)
             .where(Controller.status == "active")
             .order_by(Controller.name))
    return [SelectChoice(row.id, row.name) for row in query if row.id not in excluded]


def subcontractor_choices():
    """Return (id, name) choices of the subcontractors not offboarded."""
    query = (Subcontractor.select(Subcontractor.id, Subcontractor.name)
             .where(Subcontractor.status != "offboarded")
             .order_by(Subcontractor.name))
    return [SelectChoice(row.id, row.name) for row in query]


def affected_controllers(form, day):
    """Return the ids of the controllers a filled IncidentForm names as affected on `day`:
    those chosen, or every one the subcontractor processes data for that day."""
    if form.affected_scope.data == "subcontractor":
        from registry.checks import current_snapshot

        return controllers_processed_by(form.subcontractor.data, current_snapshot(today=day))
    return list(form.controllers.data)


def controllers_processed_by(subcontractor_id, snapshot):
    """Return the ids of the active controllers whose data the subcontractor processes on the
    snapshot's day: engaged for them, for everyone, or through a chain of sub-processors."""
    served = snapshot.assessment.controller_subcontractors
    return sorted(cid for cid, engaged in served.items() if subcontractor_id in engaged)


@dataclass(frozen=True)
class PendingNotice:
    """A notice of an open incident that is still to be sent, for the dashboard."""

    incident: object
    controller_name: str
    state: str
    hours_left: int
    due_at: datetime


def pending_notices(snapshot, now):
    """Return the unsent notices of incidents open at `now`, soonest due first."""
    names = {controller.id: controller.name for controller in snapshot.facts.controllers}
    pending = [
        PendingNotice(incident=incident, controller_name=names.get(notice.controller_id, ""),
                      state=notice_state(notice, now), hours_left=hours_left(notice.due_at, now),
                      due_at=notice.due_at)
        for incident in snapshot.facts.incidents if incident.is_open_at(now)
        for notice in incident.notices if notice_state(notice, now) in ("due", "overdue")
    ]
    return sorted(pending, key=lambda row: (row.due_at.astimezone(UTC), row.controller_name))


@dataclass(frozen=True)
class RegisterFilters:
    """The incident register's filters: one affected controller, open or closed, the page."""

    controller: int | None = None
    status: str = ""
    page: int = 1

    @classmethod
    def from_args(cls, args):
        """Read the filters from query arguments (unknown values are ignored)."""
        status = args.get("status", "")
        return cls(controller=args.get("controller", type=int),
                   status=status if status in ("open", "closed") else "",
                   page=max(args.get("page", 1, type=int) or 1, 1))

    def as_args(self, **changes):
        """Return the non-empty filters as query arguments."""
        values = {"controller": self.controller, "status": self.status, **changes}
        return {name: value for name, value in values.items() if value}


def register_query(filters):
    """Return the incidents the filters select, the latest known first."""
    query = Incident.select(Incident, Subcontractor).join(Subcontractor, JOIN.LEFT_OUTER)
    if filters.controller is not None:
        query = query.where(Incident.id.in_(
            IncidentNotice.select(IncidentNotice.incident)
            .where(IncidentNotice.controller == filters.controller)))
    if filters.status == "open":
        query = query.where(Incident.closed_at.is_null())
    elif filters.status == "closed":
        query = query.where(Incident.closed_at.is_null(False))
    return query.order_by(Incident.aware_at.desc(), Incident.id.desc())


def register_page(filters):
    """Return (incidents of the page, total, page, pages)."""
    query = register_query(filters)
    total = query.count()
    pages = max((total + PER_PAGE - 1) // PER_PAGE, 1)
    page = min(filters.page, pages)
    return list(query.paginate(page, PER_PAGE)), total, page, pages


@dataclass(frozen=True)
class SubcontractorReport:
    """How a subcontractor's report of the incident compares with its breach-notice promise."""

    hours_taken: float
    promise_hours: int | None
    is_late: bool


def subcontractor_report(incident, facts):
    """Return the SubcontractorReport of an incident a subcontractor reported, else None.

    The promise is the one on record on the day the subcontractor became aware.
    """
    facts_of = next((row for row in facts.incidents if row.id == incident.id), None)
    taken = report_hours(facts_of) if facts_of is not None else None
    if taken is None:
        return None
    subcontractor = next((row for row in facts.subcontractors
                          if row.id == incident.subcontractor_id), None)
    promise = (subcontractor.as_of(facts_of.subcontractor_aware_at.date()).breach_notice_hours
               if subcontractor is not None else None)
    return SubcontractorReport(hours_taken=taken, promise_hours=promise,
                               is_late=reported_late(facts_of, promise))
