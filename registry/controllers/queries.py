"""Reads behind the controller pages: the filtered, sorted list and one controller's dossier.

Statuses and findings come from the shared snapshot (`registry.checks.current_snapshot`); the
list runs a fixed number of queries whatever the number of controllers.
"""

from dataclasses import dataclass, replace

from peewee import JOIN

from registry.compliance import FINDING_CODES, Severity, current_dpa
from registry.models import Controller, Document, Dpa, Engagement, Instruction, Subcontractor, User

PAGE_SIZE = 25
SORTS = {
    "name": "Name",
    "status": "Compliance (worst first)",
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
    updated_at: object


def worst_findings(assessment):
    """Return a function giving a controller's worst finding, its engaged subcontractors' too."""
    own_worst = {}
    for finding in assessment.findings:  # sorted worst first, so the first one seen wins
        if finding.subcontractor_id is not None and finding.controller_id is None:
            own_worst.setdefault(finding.subcontractor_id, finding)

    def worst(controller_id):
        candidates = list(assessment.findings_for_controller(controller_id)[:1])
        candidates += [own_worst[sid] for sid in
                       assessment.controller_subcontractors.get(controller_id, ())
                       if sid in own_worst]
        return max(candidates, key=lambda finding: finding.severity.rank, default=None)

    return worst


def _base_query(filters):
    query = Controller.select(
        Controller.id, Controller.name, Controller.business_id, Controller.country,
        Controller.status, Controller.updated_at,
    )
    if filters.q:
        query = query.where(
            Controller.name.contains(filters.q)
            | Controller.business_id.contains(filters.q)
            | Controller.key.contains(filters.q)
        )
    if filters.lifecycle:
        query = query.where(Controller.status == filters.lifecycle)
    return query.tuples()


def _sort_key(sort):
    if sort == "status":
        return lambda row: (-row.severity.rank, row.name.casefold(), row.id)
    if sort == "business_id":
        return lambda row: (row.business_id.casefold(), row.name.casefold(), row.id)
    if sort == "recent":
        return lambda row: (-row.updated_at.timestamp(), row.id)
    return lambda row: (row.name.casefold(), row.id)


def controller_rows(filters, assessment):
    """Return every controller matching `filters`, sorted; worst findings only when filtered."""
    worst = worst_findings(assessment)
    rows = []
    for id_, name, business_id, country, lifecycle, updated_at in _base_query(filters):
        severity = assessment.controller_status.get(id_, Severity.GREEN)
        if filters.severity and severity.value != filters.severity:
            continue
        finding = worst(id_) if filters.finding else None
        if filters.finding and (finding is None or finding.base_code != filters.finding):
            continue
        rows.append(ControllerRow(id_, name, business_id or "", country, lifecycle, severity,
                                  finding, updated_at))
    rows.sort(key=_sort_key(filters.sort))
    return rows


def with_worst_findings(rows, assessment):
    """Return `rows` with their worst findings filled in."""
    worst = worst_findings(assessment)
    return [row if row.worst_finding else replace(row, worst_finding=worst(row.id))
            for row in rows]


def paginate(rows, page, size=PAGE_SIZE):
    """Return (rows of `page`, page, pages)."""
    pages = max((len(rows) + size - 1) // size, 1)
    page = min(page, pages)
    return rows[(page - 1) * size: page * size], page, pages


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
    """A subcontractor processing the controller's data, with the engagement's status."""

    engagement: Engagement
    subcontractor: Subcontractor
    status: str
    severity: Severity


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
        lines.append(EngagementLine(engagement, engagement.subcontractor,
                                    status or "withdrawn", severity))
    return lines


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
