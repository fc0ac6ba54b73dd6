"""Reassess the registry after a write, reusing what the write could not have changed.

`reassess(previous, facts)` returns what `assess_tracked(facts, day, horizon)` would, for the
day and horizon of `previous`, by working out again only the parts the changed rows feed:

- a **controller's part**: its DPA and instruction findings, its engagements' statuses and
  findings, and its return-or-deletion items. It is redone when the controller, one of its
  DPAs, instructions, engagements or return-or-deletion evidence changed, or a subcontractor
  it engaged changed (engagement and return-or-deletion messages name the subcontractor, and
  an offboarded one needs no action);
- a **subcontractor's part**: its evidence, requirement, flow-down, transfer and breach-notice
  findings and its requirement statuses. It is redone when the subcontractor or one of its
  attestations changed, when the set of controllers it serves changed, or when the
  breach-notice window (hours, or the controller named) of a controller it serves changed;
- the assistance-request findings, when those requests or the controllers' names changed;
- the statuses derived from those: a controller's from its findings and the statuses of the
  subcontractors it engages, a subcontractor's from its findings and the return-or-deletion
  findings about it, the list of subcontractors per controller.

Rows are compared by id (a part of the facts reloaded from a table that did not change is the
very same tuple and is skipped with `is`). Every finding is made by the engine's own functions
(`registry.compliance.engine`); the kept findings, already in order, are merged with the new
ones, so the result is in `sort_findings` order without sorting the whole registry again.

Whatever reads the whole registry makes `reassess` run the full `assess_tracked`: a change of
attestation types, requirement groups or adequacy decisions, any engagement for every
controller, any sub-processor chain (`parent_id`) or subcontractor history (before or after),
or so many changed controllers that a full run costs about as much.
"""

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from operator import attrgetter

from registry.compliance.dates import Horizon
from registry.compliance.dpas import current_dpa
from registry.compliance.engine import (
    TrackedAssessment,
    assess_engagements,
    assess_subcontractors,
    assess_tracked,
    controller_findings,
    controller_status,
    strictest_breach_notices,
)
from registry.compliance.facts import ControllerFacts, DpaFacts, RegistryFacts
from registry.compliance.findings import (
    Assessment,
    Finding,
    Severity,
    finding_order,
    sort_findings,
    worst,
)
from registry.compliance.index import (
    Reach,
    RegistryIndex,
    build_reach,
    counts_as_evidence,
    group_by_terms,
)
from registry.compliance.requests import assistance_findings
from registry.compliance.return_or_deletion import (
    return_or_deletion_findings,
    return_or_deletion_items,
)

# A full run is taken once more than this share of the controllers changed.
FULL_RUN_SHARE = 0.25
# Areas whose findings belong to one controller's part (engagement_chain_unauthorised, also in
# "engagements", exists only with chains, which always take the full run).
CONTROLLER_AREAS = frozenset({"dpas", "instructions", "engagements", "return_or_deletion"})
# The area of the assistance-request findings (data-subject requests are judged by the hour,
# outside the day's assessment).
ASSISTANCE_AREA = "requests"
SUBCONTRACTOR_AREA = "subcontractors"
ROD_AREA = "return_or_deletion"

_by_id = attrgetter("id")
_by_key = attrgetter("key")


@dataclass(slots=True)
class _Changes:
    """What changed between two facts: ids of controllers and subcontractors whose parts must
    be worked out again."""

    controllers: set[int]
    subcontractors: set[int]
    # Subcontractors whose own row changed (or appeared, or went).
    subcontractor_rows: set[int]
    removed_engagements: set[int]
    assistance: bool


def reassess(previous: TrackedAssessment, facts: RegistryFacts) -> TrackedAssessment:
    """Return the assessment of `facts` on the day and horizon of `previous`.

    Equal to `assess_tracked(facts, previous.assessment.today,
    previous.assessment.horizon_days)`, worked out from `previous` where the changes allow.
    """
    today = previous.assessment.today
    horizon_days = previous.assessment.horizon_days
    changes = _changes(previous, facts)
    if changes is None:
        return assess_tracked(facts, today, horizon_days)
    if not (changes.controllers or changes.subcontractors or changes.assistance
            or changes.removed_engagements):
        return TrackedAssessment(
            facts=facts, assessment=previous.assessment, index=previous.index,
            reach=previous.reach, strictest=previous.strictest,
            subcontractor_status=previous.subcontractor_status, scope_all=False)
    return _Reassessment(previous, facts, changes).run()


def _diff(old: Sequence, new: Sequence, key: Callable[[object], Hashable] = _by_id
          ) -> tuple[list, list]:
    """Return the rows of `old` that changed or went, and the rows of `new` that changed or
    appeared (compared by `key`)."""
    if old is new:
        return [], []
    before = {key(row): row for row in old}
    gone, came = [], []
    for row in new:
        was = before.pop(key(row), None)
        if was is None:
            came.append(row)
        elif was is not row and was != row:
            gone.append(was)
            came.append(row)
    gone.extend(before.values())
    return gone, came


def _has_global_input(facts: RegistryFacts) -> bool:
    return any(subcontractor.history or subcontractor.parent_id is not None
               for subcontractor in facts.subcontractors)


def _changes(previous: TrackedAssessment, facts: RegistryFacts) -> _Changes | None:
    """Return what changed from `previous.facts` to `facts`, or None for a full run."""
    old = previous.facts
    if previous.scope_all or any(
        getattr(old, part) is not getattr(facts, part)
        and getattr(old, part) != getattr(facts, part)
        for part in ("attestation_types", "requirement_groups", "adequacy")
    ):
        return None
    if _has_global_input(facts) or (
            old.subcontractors is not facts.subcontractors and _has_global_input(old)):
        return None
    engagements_gone, engagements_came = _diff(old.engagements, facts.engagements)
    if any(engagement.controller_id is None for engagement in engagements_came):
        return None
    controllers: set[int] = set()
    subcontractors: set[int] = set()
    for rows in _diff(old.controllers, facts.controllers):
        controllers.update(row.id for row in rows)
    for part in ("dpas", "instructions"):
        for rows in _diff(getattr(old, part), getattr(facts, part)):
            controllers.update(row.controller_id for row in rows)
    for rows in (engagements_gone, engagements_came):
        controllers.update(row.controller_id for row in rows)
        subcontractors.update(row.subcontractor_id for row in rows)
    subcontractor_rows = set()
    for rows in _diff(old.subcontractors, facts.subcontractors):
        subcontractor_rows.update(row.id for row in rows)
    if subcontractor_rows:
        subcontractors |= subcontractor_rows
        # Their engagements' findings and return-or-deletion items name them.
        for engagements in {id(old.engagements): old.engagements,
                            id(facts.engagements): facts.engagements}.values():
            controllers.update(engagement.controller_id for engagement in engagements
                               if engagement.subcontractor_id in subcontractor_rows)
    for rows in _diff(old.attestations, facts.attestations):
        subcontractors.update(row.subcontractor_id for row in rows)
    evidence = [row.key for rows in _diff(old.return_or_deletion, facts.return_or_deletion,
                                          _by_key) for row in rows]
    if evidence:
        controllers |= _evidence_controllers(evidence, old, facts)
    if len(controllers) > FULL_RUN_SHARE * max(len(facts.controllers), 1):
        return None
    assistance = (old.assistance_requests is not facts.assistance_requests
                  and old.assistance_requests != facts.assistance_requests) or bool(
        old.controllers is not facts.controllers and facts.assistance_requests)
    return _Changes(
        controllers=controllers, subcontractors=subcontractors,
        subcontractor_rows=subcontractor_rows,
        removed_engagements={row.id for row in engagements_gone}
        - {row.id for row in engagements_came},
        assistance=assistance,
    )


def _evidence_controllers(keys: Iterable[str], old: RegistryFacts, facts: RegistryFacts
                          ) -> set[int]:
    """Return the controllers whose return-or-deletion items the evidence `keys` can be of
    (`controller-12`, `controller-12-subcontractor-5`, `engagement-7`)."""
    controllers = set()
    engagements = set()
    for key in keys:
        kind, _, rest = key.partition("-")
        number = rest.partition("-")[0]
        if not number.isdigit():
            continue
        if kind == "controller":
            controllers.add(int(number))
        elif kind == "engagement":
            engagements.add(int(number))
    if engagements:
        for rows in (old.engagements, facts.engagements):
            controllers.update(row.controller_id for row in rows if row.id in engagements)
    return controllers


class _Reassessment:
    """One incremental run: the previous parts, updated for the changed controllers and
    subcontractors."""

    def __init__(self, previous: TrackedAssessment, facts: RegistryFacts, changes: _Changes):
        self.previous = previous
        self.facts = facts
        self.changes = changes
        self.today = previous.assessment.today
        self.horizon = Horizon.starting(self.today, previous.assessment.horizon_days)

    def run(self) -> TrackedAssessment:
        facts, changes, previous = self.facts, self.changes, self.previous
        dirty = changes.controllers
        index = self._index()
        mine = [engagement for engagement in facts.engagements
                if engagement.controller_id in dirty]
        reach = self._reach(index, mine)
        strictest = dict(previous.strictest)
        for controller_id in dirty:
            strictest.pop(controller_id, None)
        active = [index.controllers[cid] for cid in sorted(dirty)
                  if cid in index.controllers and index.controllers[cid].is_active_on(self.today)]
        strictest.update(strictest_breach_notices(active, index))
        subcontractors = self._dirty_subcontractors(reach, strictest)
        new_findings = controller_findings(
            active, [row for row in facts.instructions if row.controller_id in dirty],
            index, self.horizon)
        statuses, engagement_issues = assess_engagements(mine, index, self.today, dirty)
        new_findings.extend(engagement_issues)
        rows = [row for row in facts.subcontractors if row.id in subcontractors]
        found, matrix_part = assess_subcontractors(
            rows, index, reach, self.horizon, facts.requirement_groups, strictest)
        for part in found.values():
            new_findings.extend(part)
        if changes.assistance:
            new_findings.extend(assistance_findings(
                facts.assistance_requests, {row.id: row.name for row in facts.controllers},
                self.today))
        new_findings.extend(self._return_or_deletion(index, mine))
        old = previous.assessment
        findings = _merge(self._kept(subcontractors), sort_findings(new_findings))

        base_status = dict(previous.subcontractor_status)
        for subcontractor_id in subcontractors:
            base_status.pop(subcontractor_id, None)
        base_status.update(
            (sid, worst(finding.severity for finding in part)) for sid, part in found.items())
        matrix = dict(old.requirement_matrix)
        for subcontractor_id in subcontractors:
            matrix.pop(subcontractor_id, None)
        matrix.update(matrix_part)
        # Filled in below from the new assessment's own lookups, before anyone sees it.
        controller_status = dict(old.controller_status)
        subcontractor_status = dict(old.subcontractor_status)
        assessment = Assessment(
            today=self.today,
            horizon_days=old.horizon_days,
            findings=findings,
            controller_status=controller_status,
            subcontractor_status=subcontractor_status,
            engagement_status=self._engagement_status(statuses),
            requirement_matrix=matrix,
            controller_subcontractors=self._controller_subcontractors(index, reach),
        )
        self._update_subcontractor_status(subcontractor_status, assessment, base_status,
                                          subcontractors)
        self._update_controller_status(controller_status, assessment, index, reach,
                                       base_status, subcontractors)
        return TrackedAssessment(
            facts=facts, assessment=assessment, index=index, reach=reach, strictest=strictest,
            subcontractor_status=base_status, scope_all=False)

    def _index(self) -> RegistryIndex:
        """Return the previous index with the changed controllers and subcontractors redone."""
        facts, old, today = self.facts, self.previous.index, self.today
        dirty = self.changes.controllers
        controllers = old.controllers
        active_controllers = old.active_controllers
        if facts.controllers is not self.previous.facts.controllers:
            controllers = {row.id: row for row in facts.controllers}
            active_controllers = tuple(row for row in facts.controllers
                                       if row.is_active_on(today))
        dpas = old.dpas
        current_dpas = old.current_dpas
        active_by_terms = old.active_by_terms
        if dirty:
            dpas = defaultdict(list, old.dpas)
            for controller_id in dirty:
                dpas.pop(controller_id, None)
            for dpa in facts.dpas:
                if dpa.controller_id in dirty:
                    dpas[dpa.controller_id].append(dpa)
            current_dpas = dict(old.current_dpas)
            for controller_id in dirty:
                current_dpas.pop(controller_id, None)
                if controller_id in controllers:
                    current_dpas[controller_id] = current_dpa(dpas[controller_id], today)
            active_by_terms = _regrouped(old, dirty, controllers, current_dpas, today)
        subcontractors = old.subcontractors
        if facts.subcontractors is not self.previous.facts.subcontractors:
            subcontractors = {row.id: row for row in facts.subcontractors}
        attestations = old.attestations
        if facts.attestations is not self.previous.facts.attestations:
            changed = set()
            for rows in _diff(self.previous.facts.attestations, facts.attestations):
                changed.update(row.subcontractor_id for row in rows)
            attestations = defaultdict(list, old.attestations)
            for subcontractor_id in changed:
                attestations.pop(subcontractor_id, None)
            for attestation in facts.attestations:
                if attestation.subcontractor_id in changed and counts_as_evidence(
                        attestation, old.types, today):
                    attestations[attestation.subcontractor_id].append(attestation)
        return RegistryIndex(
            controllers=controllers,
            active_controllers=active_controllers,
            dpas=dpas,
            current_dpas=current_dpas,
            active_by_terms=active_by_terms,
            subcontractors=subcontractors,
            types=old.types,
            attestations=attestations,
            adequacy=old.adequacy,
        )

    def _reach(self, index: RegistryIndex, mine: list) -> Reach:
        """Return the previous reach with the changed controllers' engagements read again."""
        old = self.previous.reach
        dirty = self.changes.controllers
        fresh = build_reach(mine, index, self.today)
        by_controller = {cid: subs for cid, subs in old.subcontractors_by_controller.items()
                         if cid not in dirty}
        by_controller.update(fresh.subcontractors_by_controller)
        by_subcontractor = dict(old.controllers_by_subcontractor)
        self.moved: set[int] = set()
        for controller_id in dirty:
            before = old.subcontractors_by_controller.get(controller_id, set())
            after = by_controller.get(controller_id, set())
            for subcontractor_id in before - after:
                by_subcontractor[subcontractor_id] = (
                    by_subcontractor[subcontractor_id] - {controller_id})
            for subcontractor_id in after - before:
                by_subcontractor[subcontractor_id] = (
                    by_subcontractor.get(subcontractor_id, set()) | {controller_id})
            self.moved |= before ^ after
        return Reach(by_controller, by_subcontractor, frozenset())

    def _dirty_subcontractors(self, reach: Reach, strictest: dict) -> set[int]:
        """Return the subcontractors whose parts are redone: changed ones, those whose
        controllers changed, and those serving a controller whose breach-notice window
        changed."""
        dirty = set(self.changes.subcontractors) | self.moved
        old = self.previous
        for controller_id in self.changes.controllers:
            if old.strictest.get(controller_id) != strictest.get(controller_id):
                dirty |= old.reach.subcontractors_by_controller.get(controller_id, set())
                dirty |= reach.subcontractors_by_controller.get(controller_id, set())
        known = {row.id for row in old.facts.subcontractors} | {
            row.id for row in self.facts.subcontractors}
        return dirty & known

    def _return_or_deletion(self, index: RegistryIndex, mine: list) -> tuple[Finding, ...]:
        """Return the return-or-deletion findings of the changed controllers (without an
        engagement for every controller, an item concerns one controller's own rows)."""
        dirty = self.changes.controllers
        part = RegistryFacts(
            controllers=tuple(index.controllers[cid] for cid in sorted(dirty)
                              if cid in index.controllers),
            dpas=tuple(dpa for cid in sorted(dirty) for dpa in index.dpas.get(cid, ())),
            subcontractors=self.facts.subcontractors,
            engagements=tuple(mine),
            return_or_deletion=self.facts.return_or_deletion,
        )
        return return_or_deletion_findings(
            return_or_deletion_items(part, self.today), part, self.today)

    def _kept(self, subcontractors: set[int]) -> list[Finding]:
        """Return the previous findings that are not redone, in their order."""
        old = self.previous.assessment
        stale = {id(finding) for controller_id in self.changes.controllers
                 for finding in old.findings_for_controller(controller_id)
                 if finding.area in CONTROLLER_AREAS}
        stale.update(id(finding) for subcontractor_id in subcontractors
                     for finding in old.findings_for_subcontractor(subcontractor_id)
                     if finding.area == SUBCONTRACTOR_AREA)
        if self.changes.assistance:
            stale.update(id(finding) for finding in old.findings
                         if finding.area == ASSISTANCE_AREA)
        return [finding for finding in old.findings if id(finding) not in stale]

    def _engagement_status(self, statuses: dict) -> dict:
        status = dict(self.previous.assessment.engagement_status)
        for engagement_id in self.changes.removed_engagements:
            status.pop(engagement_id, None)
        status.update(statuses)
        return status

    def _update_subcontractor_status(self, status: dict[int, Severity],
                                     assessment: Assessment, base: dict[int, Severity],
                                     subcontractors: set[int]) -> None:
        """Redo in `status` the subcontractors redone and those named by return-or-deletion
        findings of the changed controllers: their own findings' worst (`base`), worsened by
        the return-or-deletion findings about them."""
        redo = set(subcontractors)
        for before_or_after in (self.previous.assessment, assessment):
            for controller_id in self.changes.controllers:
                redo.update(finding.subcontractor_id
                            for finding in before_or_after.findings_for_controller(controller_id)
                            if finding.area == ROD_AREA)
        redo.discard(None)
        for subcontractor_id in redo:
            if subcontractor_id not in base:
                status.pop(subcontractor_id, None)
                continue
            status[subcontractor_id] = worst([base[subcontractor_id], *(
                finding.severity
                for finding in assessment.findings_for_subcontractor(subcontractor_id)
                if finding.area == ROD_AREA)])

    def _update_controller_status(self, status: dict[int, Severity], assessment: Assessment,
                                  index: RegistryIndex, reach: Reach,
                                  base: dict[int, Severity], subcontractors: set[int]) -> None:
        """Redo in `status` the changed controllers, those engaging a subcontractor whose
        status changed, and those with assistance findings (when those were redone)."""
        old = self.previous
        redo = set(self.changes.controllers)
        for subcontractor_id in subcontractors:
            if old.subcontractor_status.get(subcontractor_id) != base.get(subcontractor_id):
                redo |= old.reach.controllers_by_subcontractor.get(subcontractor_id, set())
                redo |= reach.controllers_by_subcontractor.get(subcontractor_id, set())
        if self.changes.assistance:
            redo.update(finding.controller_id
                        for before_or_after in (old.assessment, assessment)
                        for finding in before_or_after.findings
                        if finding.area == ASSISTANCE_AREA)
        for controller_id in redo:
            controller = index.controllers.get(controller_id)
            if controller is None:
                status.pop(controller_id, None)
                continue
            own = assessment.findings_for_controller(controller_id)
            if controller.is_active_on(self.today):
                status[controller_id] = controller_status(
                    worst(finding.severity for finding in own), Severity.GREEN,
                    reach.subcontractors_by_controller.get(controller_id, ()), base)
            else:
                status[controller_id] = worst(finding.severity for finding in own
                                              if finding.area == ROD_AREA)

    def _controller_subcontractors(self, index: RegistryIndex, reach: Reach
                                   ) -> dict[int, tuple[int, ...]]:
        listed = dict(self.previous.assessment.controller_subcontractors)
        for controller_id in self.changes.controllers:
            controller = index.controllers.get(controller_id)
            if controller is not None and controller.is_active_on(self.today):
                listed[controller_id] = tuple(
                    sorted(reach.subcontractors_by_controller.get(controller_id, ())))
            else:
                listed.pop(controller_id, None)
        return listed


def _regrouped(old: RegistryIndex, dirty: set[int], controllers: dict[int, ControllerFacts],
               current_dpas: dict[int, DpaFacts | None], today: date) -> dict:
    """Return `old.active_by_terms` with the `dirty` controllers regrouped by their terms now
    (each group in the order of the controllers' ids, not of the rows)."""
    groups = {terms: [member for member in group if member[0].id not in dirty]
              for terms, group in old.active_by_terms.items()}
    active = [controllers[cid] for cid in sorted(dirty)
              if cid in controllers and controllers[cid].is_active_on(today)]
    for terms, group in group_by_terms(tuple(active), current_dpas, today).items():
        groups.setdefault(terms, []).extend(group)
    return {terms: group for terms, group in groups.items() if group}


def _merge(kept: list[Finding], new: Sequence[Finding]) -> tuple[Finding, ...]:
    """Return the findings of `kept` and `new`, both in `finding_order`, in that order.

    Each new finding is placed by bisection, so the cost is the copy of `kept` plus a few key
    computations per new finding (never a key for every kept one). Findings with equal keys
    belong to one controller's or subcontractor's part, which is either kept or new.
    """
    merged: list[Finding] = []
    start = 0
    for finding in new:
        position = bisect_right(kept, finding_order(finding), lo=start, key=finding_order)
        merged.extend(kept[start:position])
        merged.append(finding)
        start = position
    merged.extend(kept[start:])
    return tuple(merged)
