"""Reads of the engagement pages: one engagement with its standing per controller, and the list."""

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date

from flask import abort
from peewee import JOIN
from wtforms.fields.choices import SelectChoice

from registry.compliance import (
    ENGAGEMENT_STATUSES,
    EngagementFacts,
    current_dpa,
    objection_deadline,
)
from registry.listing import per_snapshot
from registry.models import Controller, Document, Engagement, Subcontractor

PAGE_SIZE = 50
STATUS_FILTERS = ("open", *ENGAGEMENT_STATUSES, "all")
OPEN_STATUSES = ("proposed", "notified", "objected", "unauthorised")
MAX_SEARCH = 100


def engageable_controller_choices(subcontractor):
    """Return the active controllers the subcontractor is not engaged for, as form choices."""
    engaged = (Engagement.select(Engagement.controller)
               .where((Engagement.subcontractor == subcontractor)
                      & Engagement.withdrawn_on.is_null()
                      & Engagement.controller.is_null(False)))
    query = (Controller.select(Controller.id, Controller.name)
             .where((Controller.status == "active") & Controller.id.not_in(engaged))
             .order_by(Controller.name))
    return [SelectChoice(controller.id, controller.name) for controller in query]


def active_controller_choices():
    """Return the active controllers as form choices (who objected to an every-controller one)."""
    return [SelectChoice(controller.id, controller.name) for controller in
            Controller.select(Controller.id, Controller.name)
            .where(Controller.status == "active").order_by(Controller.name)]


def get_engagement_or_404(engagement_id):
    """Return the engagement with its subcontractor and controller, or answer 404."""
    engagement = (Engagement
                  .select(Engagement, Subcontractor, Controller, Document)
                  .join(Subcontractor)
                  .switch(Engagement).join(Controller, JOIN.LEFT_OUTER)
                  .switch(Engagement).join(Document, JOIN.LEFT_OUTER)
                  .where(Engagement.id == engagement_id)
                  .first())
    if engagement is None:
        abort(404)
    return engagement


def engagement_facts(engagement):
    """Return the engine's EngagementFacts for a stored engagement."""
    return EngagementFacts(
        id=engagement.id, subcontractor_id=engagement.subcontractor_id,
        controller_id=engagement.controller_id, on_list_at_signing=engagement.on_list_at_signing,
        proposed_on=engagement.proposed_on, notified_on=engagement.notified_on,
        objection_deadline=engagement.objection_deadline, objected_on=engagement.objected_on,
        approved_on=engagement.approved_on, withdrawn_on=engagement.withdrawn_on)


@dataclass(frozen=True)
class Deadline:
    """The day a notified controller's answer is due: the end of its objection period (general
    authorisation), or the day its written approval was requested by."""

    day: date
    is_objection: bool


def _dpas_by_controller(facts):
    dpas = defaultdict(list)
    for dpa in facts.dpas:
        dpas[dpa.controller_id].append(dpa)
    return dpas


def deadlines(engagements, snapshot):
    """Return {engagement id: Deadline} for the notified single-controller `engagements`.

    The objection deadline is the engine's (`registry.compliance.objection_deadline`, from the
    controller's DPA when none is stored); without an objection period the stored date is the
    day the written approval was requested by. A scope-all engagement has one per controller
    (see `standings`), so it gets none here.
    """
    today = snapshot.assessment.today
    dpas = _dpas_by_controller(snapshot.facts)
    current = {}
    found = {}
    for engagement in engagements:
        if engagement.controller_id is None or engagement.notified_on is None:
            continue
        if engagement.controller_id not in current:
            current[engagement.controller_id] = current_dpa(dpas[engagement.controller_id], today)
        day = objection_deadline(_as_facts(engagement), current[engagement.controller_id], today)
        if day is not None:
            found[engagement.id] = Deadline(day, True)
        elif engagement.objection_deadline is not None:
            found[engagement.id] = Deadline(engagement.objection_deadline, False)
    return found


def _as_facts(engagement):
    return engagement if isinstance(engagement, EngagementFacts) else engagement_facts(engagement)


@dataclass(frozen=True)
class Standing:
    """How the engagement stands for a set of controllers sharing status and deadline."""

    status: str
    deadline: object
    authorisation: str | None
    count: int
    names: tuple


def standings(engagement, snapshot):
    """Return the engagement's status and objection deadline per controller (grouped).

    A single-controller engagement has one standing; a scope-all one has a standing per
    distinct (status, deadline, authorisation) among the active controllers.
    """
    facts, assessment = snapshot.facts, snapshot.assessment
    today = assessment.today
    dpas = _dpas_by_controller(facts)
    if engagement.controller_id is not None:
        controllers = [c for c in facts.controllers if c.id == engagement.controller_id]
    else:
        controllers = [c for c in facts.controllers if c.status == "active"]
    subject = engagement_facts(engagement)
    groups = defaultdict(list)
    for controller in controllers:
        dpa = current_dpa(dpas[controller.id], today)
        key = (engagement.id if engagement.controller_id is not None
               else (engagement.id, controller.id))
        status = assessment.engagement_status.get(key, "proposed")
        deadline = objection_deadline(subject, dpa, today)
        # The authorisation type matters only while the controller's answer is awaited.
        authorisation = (dpa.subprocessor_authorisation if dpa else None) if (
            status == "notified") else None
        groups[(status, deadline, authorisation)].append(controller.name)
    return [Standing(status, deadline, authorisation, len(names), tuple(sorted(names)[:5]))
            for (status, deadline, authorisation), names in sorted(
                groups.items(), key=lambda item: ENGAGEMENT_STATUSES.index(item[0][0]))]


@dataclass(frozen=True)
class ListFilters:
    """The list's status filter, search text and page."""

    status: str = "open"
    q: str = ""
    page: int = 1

    @classmethod
    def from_args(cls, args):
        """Read the filters from query arguments."""
        status = args.get("status", "open")
        return cls(status=status if status in STATUS_FILTERS else "open",
                   q=" ".join((args.get("q") or "").split())[:MAX_SEARCH],
                   page=max(args.get("page", 1, type=int) or 1, 1))

    def arguments(self):
        """Return the non-default filters as query arguments (for pagination links)."""
        values = {"status": self.status if self.status != "open" else None, "q": self.q or None}
        return {name: value for name, value in values.items() if value}


def _wanted(filters):
    if filters.status == "all":
        return None
    return set(OPEN_STATUSES) if filters.status == "open" else {filters.status}


def _matches(needle, subcontractor_names, controller_names):
    if not needle:
        return None
    return ({id_ for id_, name in subcontractor_names.items() if needle in name},
            {id_ for id_, name in controller_names.items() if needle in name})


def list_page(filters, snapshot):
    """Return (rows, total, page, pages, counts by status) for the engagements list.

    Rows are (engagement with subcontractor and controller, status, Deadline or None), the
    earliest deadline first, then by subcontractor and controller name. Filtering and sorting
    run over the snapshot's facts once per snapshot and filter (`_ordered`), so a request reads
    only the page shown from the database.
    """
    statuses = snapshot.assessment.engagement_status
    chosen, due, counts = _ordered(snapshot, filters.status, filters.q)
    pages = max((len(chosen) + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    page = min(filters.page, pages)
    shown = chosen[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]
    rows = {row.id: row for row in (Engagement
                                    .select(Engagement, Subcontractor, Controller)
                                    .join(Subcontractor)
                                    .switch(Engagement).join(Controller, JOIN.LEFT_OUTER)
                                    .where(Engagement.id.in_(shown)))}
    return ([(rows[id_], statuses.get(id_, "proposed"), due.get(id_)) for id_ in shown
             if id_ in rows], len(chosen), page, pages, counts)


@per_snapshot
def _ordered(snapshot, status, q):
    """Return (engagement ids in list order, their deadlines, counts by status) for a filter."""
    facts, statuses = snapshot.facts, snapshot.assessment.engagement_status
    subcontractor_names = {row.id: row.name.lower() for row in facts.subcontractors}
    controller_names = {row.id: row.name.lower() for row in facts.controllers}
    engagements = facts.engagements
    matches = _matches(q.lower(), subcontractor_names, controller_names)
    if matches is not None:
        engagements = [e for e in engagements
                       if e.subcontractor_id in matches[0] or e.controller_id in matches[1]]
    counts = Counter(statuses.get(engagement.id, "proposed") for engagement in engagements)
    wanted = _wanted(ListFilters(status=status))
    if wanted is not None:
        engagements = [e for e in engagements if statuses.get(e.id, "proposed") in wanted]
    due = deadlines(engagements, snapshot)
    chosen = sorted(engagements, key=lambda e: (
        e.id not in due, due[e.id].day if e.id in due else date.min,
        subcontractor_names.get(e.subcontractor_id, ""), controller_names.get(e.controller_id, ""),
        e.id))
    return tuple(engagement.id for engagement in chosen), due, counts
