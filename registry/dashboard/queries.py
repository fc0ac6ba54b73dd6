"""What the dashboard shows, derived from one snapshot: findings in scope and counts by area.

A finding is in scope when it concerns a chosen controller (its own findings and those of the
subcontractors engaged for it), a chosen subcontractor, and has the chosen severity. Red and
amber count findings; green counts the items of the area that have none.
"""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from registry.compliance import AREAS
from registry.compliance.return_or_deletion import finding_item_key
from registry.return_or_deletion.queries import items_of

AREA_LABELS = {
    "dpas": _l("DPAs"),
    "instructions": _l("Instructions"),
    "subcontractors": _l("Subcontractors and their evidence"),
    "engagements": _l("Engagements"),
    "incidents": _l("Incidents (breach notices)"),
    "requests": _l("Data-subject and assistance requests"),
    "return_or_deletion": _l("Return or deletion at the end"),
}
# Red and amber list findings; green lists the items of an area that have none.
SEVERITIES = ("red", "amber", "green")
FINDINGS_PER_PAGE = 50


@dataclass(frozen=True)
class DashboardFilters:
    """The dashboard's filters: controller and subcontractor (name, business ID or id), area
    and severity. Each count of the "By area" table links to exactly its rows: its area and
    its severity."""

    controller: str = ""
    subcontractor: str = ""
    area: str = ""
    severity: str = ""
    page: int = 1

    @classmethod
    def from_args(cls, args):
        """Read the filters from query arguments."""
        severity, area = args.get("severity", ""), args.get("area", "")
        return cls(controller=args.get("controller", "").strip()[:100],
                   subcontractor=args.get("subcontractor", "").strip()[:100],
                   area=area if area in AREAS else "",
                   severity=severity if severity in SEVERITIES else "",
                   page=max(args.get("page", 1, type=int) or 1, 1))

    def as_args(self, **changes):
        """Return the non-empty filters as query arguments."""
        values = {"controller": self.controller, "subcontractor": self.subcontractor,
                  "area": self.area, "severity": self.severity}
        values.update(changes)
        return {name: value for name, value in values.items() if value}

    @property
    def is_active(self):
        """Tell whether any filter narrows the view."""
        return bool(self.controller or self.subcontractor or self.area or self.severity)

    @property
    def lists_green(self):
        """Tell whether the page lists the items in order instead of findings."""
        return self.severity == "green"

    def selects(self, finding):
        """Tell whether a finding in scope is listed under these area and severity filters."""
        return ((not self.area or finding.area == self.area)
                and (not self.severity or finding.severity.value == self.severity))


def _matching(rows, text):
    """Return the ids of facts whose id equals `text` or whose name contains it (any case)."""
    if text.isdigit():
        return {row.id for row in rows if row.id == int(text)}
    needle = text.casefold()
    return {row.id for row in rows if needle in row.name.casefold()}


@dataclass(frozen=True)
class Scope:
    """The controllers and subcontractors the filters select (None: all of them)."""

    controllers: frozenset | None
    subcontractors: frozenset | None
    engaged: frozenset | None

    @classmethod
    def of(cls, filters, snapshot):
        """Resolve the text filters against the snapshot's facts."""
        controllers = subcontractors = engaged = None
        if filters.controller:
            controllers = frozenset(_matching(snapshot.facts.controllers, filters.controller))
            served = snapshot.assessment.controller_subcontractors
            engaged = frozenset(sid for cid in controllers for sid in served.get(cid, ()))
        if filters.subcontractor:
            subcontractors = frozenset(
                _matching(snapshot.facts.subcontractors, filters.subcontractor))
        return cls(controllers, subcontractors, engaged)

    @property
    def is_everything(self):
        """Tell whether no filter narrows the scope."""
        return self.controllers is None and self.subcontractors is None

    def has_controller(self, controller_id):
        """Tell whether a controller is in scope."""
        return self.controllers is None or controller_id in self.controllers

    def has_subcontractor(self, subcontractor_id):
        """Tell whether a subcontractor is in scope (engaged for a chosen controller, if any)."""
        if self.subcontractors is not None and subcontractor_id not in self.subcontractors:
            return False
        return self.engaged is None or subcontractor_id in self.engaged

    def covers(self, finding):
        """Tell whether a finding concerns what the filters chose."""
        if finding.controller_id is not None:
            return self.has_controller(finding.controller_id) and (
                self.subcontractors is None or finding.subcontractor_id in self.subcontractors)
        if finding.subcontractor_id is not None:
            return self.has_subcontractor(finding.subcontractor_id)
        return self.controllers is None and self.subcontractors is None


def findings_in_scope(snapshot, scope):
    """Return the findings (worst first) about what the scope selects."""
    findings = snapshot.assessment.findings
    if scope.is_everything:
        return findings
    return tuple(finding for finding in findings if scope.covers(finding))


def _area_items(snapshot, scope):
    """Return {area: set of item keys} of the items each area assesses, within the scope."""
    facts, assessment = snapshot.facts, snapshot.assessment
    today = assessment.today
    active = {c.id for c in facts.controllers
              if c.is_active_on(today) and scope.has_controller(c.id)}
    if scope.subcontractors is not None:
        active = {cid for cid in active if scope.subcontractors & set(
            assessment.controller_subcontractors.get(cid, ()))}
    subcontractors = {s.id for s in facts.subcontractors
                      if s.status != "offboarded" and scope.has_subcontractor(s.id)}
    engagement_facts = {engagement.id: engagement for engagement in facts.engagements}
    engagements = set()
    for key, status in assessment.engagement_status.items():
        if status == "withdrawn":
            continue
        if isinstance(key, tuple):
            engagement_id, controller_id = key
        else:  # a scope-all engagement is counted per controller, under its tuple keys
            engagement_id, controller_id = key, engagement_facts[key].controller_id
        if (controller_id in active
                and engagement_facts[engagement_id].subcontractor_id in subcontractors):
            engagements.add((engagement_id, controller_id))
    instructions = {i.id for i in facts.instructions
                    if i.is_current_on(today) and i.controller_id in active}
    return {"dpas": active, "instructions": instructions, "subcontractors": subcontractors,
            "engagements": engagements, "incidents": _incident_items(snapshot, scope),
            "requests": _request_items(snapshot, scope),
            "return_or_deletion": _return_or_deletion_items(snapshot, scope)}


def _request_items(snapshot, scope):
    """Return the open data-subject and assistance requests, as (subject type, id)."""
    now, today = snapshot.assessment.now, snapshot.assessment.today
    if scope.subcontractors is not None:
        return set()
    subject = {("subject_request", request.id) for request in snapshot.facts.subject_requests
               if now is not None and request.is_open_at(now)
               and scope.has_controller(request.controller_id)}
    assistance = {("assistance_request", request.id)
                  for request in snapshot.facts.assistance_requests
                  if request.is_open_on(today) and scope.has_controller(request.controller_id)}
    return subject | assistance


def _incident_items(snapshot, scope):
    """Return (incident, controller) of the notices of incidents open at the snapshot's now."""
    now = snapshot.assessment.now
    if now is None:
        return set()
    return {(incident.id, notice.controller_id)
            for incident in snapshot.facts.incidents if incident.is_open_at(now)
            for notice in incident.notices
            if scope.has_controller(notice.controller_id) and scope.subcontractors is None}


def _return_or_deletion_items(snapshot, scope):
    """Return the keys of the return-or-deletion items that exist on the snapshot's day."""
    return {item.key for item in items_of(snapshot)
            if (scope.controllers is None or item.controller_id in scope.controllers)
            and (scope.subcontractors is None or item.subcontractor_id in scope.subcontractors)}


def _item_key(finding):
    if finding.area == "return_or_deletion":
        return finding_item_key(finding)
    if finding.area == "dpas":
        return finding.controller_id
    if finding.area == "subcontractors":
        return finding.subcontractor_id
    if finding.area in ("engagements", "incidents"):
        return (finding.subject_id, finding.controller_id)
    if finding.area == "requests":
        return (finding.subject_type, finding.subject_id)
    return finding.subject_id


@dataclass(frozen=True)
class AreaCount:
    """One row of the counts table."""

    area: str
    label: str
    red: int
    amber: int
    green: int


def green_items(snapshot, scope, findings):
    """Return {area: set of item keys} of the items in scope that have no finding."""
    items = _area_items(snapshot, scope)
    for finding in findings:
        items[finding.area].discard(_item_key(finding))
    return items


def area_counts(findings, green):
    """Return the red and amber findings and the green (finding-free) items of every area."""
    counts = {area: {"red": 0, "amber": 0} for area in AREAS}
    for finding in findings:
        counts[finding.area][finding.severity.value] += 1
    return [
        AreaCount(area, AREA_LABELS[area], counts[area]["red"], counts[area]["amber"],
                  len(green[area]))
        for area in AREAS
    ]
