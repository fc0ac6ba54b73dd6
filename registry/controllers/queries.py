"""Reads behind the controller pages: the filtered, sorted list and one controller's dossier.

Statuses and findings come from the shared snapshot (`registry.checks.current_snapshot`); the
list runs a fixed number of queries whatever the number of controllers.
"""

from dataclasses import dataclass, replace

from flask_babel import gettext as _
from peewee import JOIN, fn

from registry.chains import in_chain_order, parent_names
from registry.collation import sort_key
from registry.compliance import (
    EEA_COUNTRIES,
    FINDING_CODES,
    TRANSFER_MECHANISMS,
    Severity,
    current_dpa,
)
from registry.i18n import current_language
from registry.listing import paginate as paginate_items
from registry.listing import per_snapshot
from registry.models import Controller, Document, Dpa, Engagement, Instruction, Subcontractor, User

PAGE_SIZE = 25
SORTS = {
    "name": "Name",
    "status": "Worst first",
    "business_id": "Business ID",
    "recent": "Recently changed",
}
LIFECYCLES = ("active", "ended")
SEVERITIES = ("red", "amber", "green")


@dataclass(frozen=True)
class ControllerFilters:
    """What the list shows: search text, lifecycle, compliance, worst finding, sort, page."""

    q: str = ""
    lifecycle: str = ""
    severity: str = ""
    finding: str = ""
    sort: str = "name"
    page: int = 1

    @classmethod
    def from_args(cls, args):
        """Read the filters from query arguments, ignoring values that are not offered."""
        def choice(name, allowed):
            value = args.get(name, "")
            return value if value in allowed else ""

        return cls(
            q=args.get("q", "").strip()[:100],
            lifecycle=choice("lifecycle", LIFECYCLES),
            severity=choice("severity", SEVERITIES),
            finding=choice("finding", FINDING_CODES),
            sort=choice("sort", SORTS) or "name",
            page=max(args.get("page", 1, type=int) or 1, 1),
        )

    def as_args(self, **changes):
        """Return the non-default filters as query arguments (for links and the CSV export)."""
        values = {"q": self.q, "lifecycle": self.lifecycle, "severity": self.severity,
                  "finding": self.finding, "sort": self.sort if self.sort != "name" else ""}
        values.update(changes)
        return {name: value for name, value in values.items() if value}


@dataclass(frozen=True)
class ControllerRow:
    """One line of the controller list."""

    id: int
    name: str
    business_id: str
    country: str
    lifecycle: str
    severity: Severity
    worst_finding: object


@per_snapshot
def _subcontractor_worst(snapshot):
    """Return {subcontractor id: its worst finding not tied to one controller}."""
    worst = {}
    for finding in snapshot.assessment.findings:  # sorted worst first: the first one wins
        if finding.subcontractor_id is not None and finding.controller_id is None:
            worst.setdefault(finding.subcontractor_id, finding)
    return worst


def worst_finding(snapshot, controller_id):
    """Return a controller's worst finding, counting its engaged subcontractors' own findings."""
    assessment, by_subcontractor = snapshot.assessment, _subcontractor_worst(snapshot)
    candidates = list(assessment.findings_for_controller(controller_id)[:1])
    candidates += [by_subcontractor[sid]
                   for sid in assessment.controller_subcontractors.get(controller_id, ())
                   if sid in by_subcontractor]
    return max(candidates, key=lambda finding: finding.severity.rank, default=None)


def _search(text):
    """Return the ids of controllers whose name, business ID or key contains `text`."""
    query = Controller.select(Controller.id).where(
        Controller.name.contains(text)
        | Controller.business_id.contains(text)
        | Controller.key.contains(text)
    )
    return {id_ for (id_,) in query.tuples()}


@per_snapshot
def _order(snapshot, sort, language):
    """Return the ids of every controller in the order of `sort` (kept until the next change).

    Names sort in the alphabetical order of the page's `language` (registry.collation).
    """
    if sort == "business_id":
        query = Controller.select(Controller.id).order_by(
            fn.LOWER(fn.COALESCE(Controller.business_id, "")), fn.LOWER(Controller.name),
            Controller.id)
        return tuple(id_ for (id_,) in query.tuples())
    if sort == "recent":
        query = Controller.select(Controller.id).order_by(
            Controller.updated_at.desc(), Controller.id.desc())
        return tuple(id_ for (id_,) in query.tuples())
    status = snapshot.assessment.controller_status

    def key(controller):
        by_name = (sort_key(controller.name, language), controller.id)
        if sort == "status":
            return (-status.get(controller.id, Severity.GREEN).rank, *by_name)
        return by_name

    return tuple(controller.id for controller in sorted(snapshot.facts.controllers, key=key))


def controller_ids(filters, snapshot):
    """Return the ids of the controllers matching `filters`, in the chosen order."""
    matched = _search(filters.q) if filters.q else None
    status = snapshot.assessment.controller_status
    lifecycle = {c.id: c.status for c in snapshot.facts.controllers} if filters.lifecycle \
        else None
    ids = []
    for id_ in _order(snapshot, filters.sort, current_language()):
        if matched is not None and id_ not in matched:
            continue
        if lifecycle is not None and lifecycle[id_] != filters.lifecycle:
            continue
        if filters.severity and status.get(id_, Severity.GREEN).value != filters.severity:
            continue
        if filters.finding:
            finding = worst_finding(snapshot, id_)
            if finding is None or finding.base_code != filters.finding:
                continue
        ids.append(id_)
    return ids


def controller_rows(ids, snapshot):
    """Return list rows for `ids` (in that order) with status and worst finding."""
    query = Controller.select(Controller.id, Controller.name, Controller.business_id,
                              Controller.country, Controller.status)
    if len(ids) <= PAGE_SIZE * 4:
        query = query.where(Controller.id.in_(ids))
    found = {row[0]: row for row in query.tuples()}
    status = snapshot.assessment.controller_status
    return [
        ControllerRow(id_, name, business_id or "", country, lifecycle,
                      status.get(id_, Severity.GREEN), worst_finding(snapshot, id_))
        for id_, name, business_id, country, lifecycle in (found[i] for i in ids if i in found)
    ]


def paginate(ids, page):
    """Return (the ids of `page`, page, pages) of the controller list."""
    return paginate_items(ids, page, PAGE_SIZE)


@dataclass(frozen=True)
class Dossier:
    """Everything the controller page shows."""

    controller: Controller
    dpas: list
    current_dpa: object
    instructions: list
    engagements: list
    findings: tuple


def _dpa_rows(controller):
    return list(
        Dpa.select(Dpa, Document.id, Document.filename)
        .join(Document, JOIN.LEFT_OUTER, on=(Dpa.document == Document.id))
        .where(Dpa.controller == controller)
        .order_by(Dpa.version.desc())
    )


def _instruction_chains(controller):
    """Return the controller's instructions as version chains, newest version first in each."""
    rows = list(
        Instruction.select(Instruction, User.id, User.email, User.full_name)
        .join(User, JOIN.LEFT_OUTER, on=(Instruction.acknowledged_by == User.id))
        .where(Instruction.controller == controller)
        .order_by(Instruction.version.desc(), Instruction.id.desc())
    )
    by_id = {row.id: row for row in rows}

    def root(row):
        while row.supersedes_id in by_id:
            row = by_id[row.supersedes_id]
        return row.id

    chains = {}
    for row in rows:
        chains.setdefault(root(row), []).append(row)
    return sorted(chains.values(), key=lambda versions: versions[0].received_on, reverse=True)


@dataclass(frozen=True)
class EngagementLine:
    """A subcontractor processing the controller's data, with the engagement's status.

    `engagement` is None for a sub-processor the data reaches only through the one that engages
    it (`engaged_by`); `level` is its depth under that one on the page.
    """

    engagement: Engagement | None
    subcontractor: Subcontractor
    status: str
    severity: Severity
    engaged_by: str = ""
    level: int = 0

    @property
    def transfer(self):
        """Return the transfer mechanism's label, or what its absence means."""
        mechanism = self.subcontractor.transfer_mechanism
        if mechanism:
            return TRANSFER_MECHANISMS.get(mechanism, mechanism)
        locations = [self.subcontractor.country, *self.subcontractor.processing_countries]
        outside = any(code.upper() not in EEA_COUNTRIES for code in locations)
        return _("None recorded") if outside else _("None needed (EEA only)")


def _engagement_lines(controller, assessment):
    query = (
        Engagement.select(Engagement, Subcontractor)
        .join(Subcontractor)
        .where((Engagement.controller == controller) | Engagement.controller.is_null())
        .order_by(Subcontractor.name, Engagement.id)
    )
    lines = []
    for engagement in query:
        if engagement.controller_id is None:
            status = assessment.engagement_status.get((engagement.id, controller.id))
        else:
            status = assessment.engagement_status.get(engagement.id)
        severity = assessment.subcontractor_status.get(engagement.subcontractor_id,
                                                       Severity.GREEN)
        # No status: the controller has ended, so the engine no longer assesses it.
        lines.append(EngagementLine(engagement, engagement.subcontractor,
                                    status or "not assessed", severity))
    lines += _chain_lines(controller, assessment, lines)
    return _under_parents(lines)


def _chain_lines(controller, assessment, lines):
    """Return lines for the sub-processors the controller's data reaches only through a chain
    (Art. 28(2), (4)): unauthorised while the controller has not authorised them."""
    engaged = {line.subcontractor.id for line in lines if line.status != "withdrawn"}
    reached = set(assessment.controller_subcontractors.get(controller.id, ())) - engaged
    if not reached:
        return []
    unauthorised = {finding.subcontractor_id
                    for finding in assessment.findings_for_controller(controller.id)
                    if finding.code == "engagement_chain_unauthorised"}
    return [
        EngagementLine(None, subcontractor,
                       "unauthorised" if subcontractor.id in unauthorised else "not engaged",
                       assessment.subcontractor_status.get(subcontractor.id, Severity.GREEN))
        for subcontractor in Subcontractor.select().where(Subcontractor.id.in_(list(reached)))
    ]


def _under_parents(lines):
    """Return the lines with each sub-processor under the one that engages it."""
    parents = parent_names([line.subcontractor for line in lines])
    ordered = in_chain_order(lines, lambda line: line.subcontractor.id,
                             lambda line: line.subcontractor.parent_id,
                             lambda line: line.subcontractor.name)
    return [replace(line, engaged_by=parents.get(line.subcontractor.id, ""), level=level)
            for line, level in ordered]


def controller_dossier(controller, snapshot):
    """Return the controller's DPAs, current DPA, instructions, subcontractors and findings."""
    assessment = snapshot.assessment
    facts = [dpa for dpa in snapshot.facts.dpas if dpa.controller_id == controller.id]
    current = current_dpa(facts, assessment.today)
    dpas = _dpa_rows(controller)
    return Dossier(
        controller=controller,
        dpas=dpas,
        current_dpa=next((dpa for dpa in dpas if current and dpa.id == current.id), None),
        instructions=_instruction_chains(controller),
        engagements=_engagement_lines(controller, assessment),
        findings=assessment.findings_for_controller(controller.id),
    )
