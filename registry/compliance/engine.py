"""The entry point: assess the whole registry on one day.

Every row is indexed once up front, so the work grows with the number of rows (a scope-all
engagement counts once per active controller), never with rows times controllers scanned.
"""

import dataclasses
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from registry.compliance.chains import trace_chains
from registry.compliance.dates import Horizon
from registry.compliance.dpas import dpa_findings
from registry.compliance.engagements import (
    NO_AUTHORISATION,
    AuthorisationTerms,
    engagement_findings,
    engagement_status,
    is_in_order,
    judge_engagement,
    least_advanced,
)
from registry.compliance.facts import (
    ControllerFacts,
    EngagementFacts,
    InstructionFacts,
    RegistryFacts,
    RequirementGroupFacts,
    SubcontractorFacts,
)
from registry.compliance.findings import (
    Assessment,
    Finding,
    RequirementStatus,
    Severity,
    sort_findings,
    worst,
)
from registry.compliance.hours import judge_hours
from registry.compliance.index import Reach, RegistryIndex, build_index, build_reach
from registry.compliance.instructions import instruction_finding
from registry.compliance.requests import assistance_findings
from registry.compliance.return_or_deletion import with_return_or_deletion
from registry.compliance.subcontractors import (
    StrictestBreachNotice,
    SubcontractorRules,
    assess_subcontractor,
)

# Statuses of an engagement that need no finding.
QUIET_STATUSES = frozenset({"withdrawn"})


@dataclass(frozen=True, slots=True)
class TrackedAssessment:
    """An assessment with what it was worked out from, so that the next one can reuse it.

    `facts` are the facts as recorded (subcontractors with their history); `index` and `reach`
    (engagements only, before chains) were built from them on the assessment's day;
    `strictest` is each active controller's breach-notice window and `subcontractor_status`
    each subcontractor's status from its own findings (before return or deletion);
    `scope_all` whether any engagement is for every controller.
    `registry.compliance.incremental.reassess` takes one and new facts.
    """

    facts: RegistryFacts
    assessment: Assessment
    index: RegistryIndex
    reach: Reach
    strictest: dict[int, StrictestBreachNotice]
    subcontractor_status: dict[int, Severity]
    scope_all: bool


def assess(facts: RegistryFacts, today: date, horizon_days: int = 60,
           now: datetime | None = None) -> Assessment:
    """Assess every controller, subcontractor and engagement in `facts` on `today`.

    Hour-precision deadlines (incidents, data-subject requests) are judged at the aware
    instant `now`; without it they are left out, for a caller that judges them itself
    (`judge_hours`, as the shared snapshot does, which keeps the day's assessment for every
    hour of the day).
    """
    assessment = assess_tracked(facts, today, horizon_days).assessment
    return assessment if now is None else judge_hours(assessment, facts, now)


def assess_tracked(facts: RegistryFacts, today: date, horizon_days: int = 60
                   ) -> TrackedAssessment:
    """Assess the whole registry on `today` (as `assess` without `now`), keeping its indexes."""
    recorded = facts
    if any(subcontractor.history for subcontractor in facts.subcontractors):
        facts = dataclasses.replace(facts, subcontractors=tuple(
            subcontractor.as_of(today) for subcontractor in facts.subcontractors))
    horizon = Horizon.starting(today, horizon_days)
    index = build_index(facts, today)
    engaged = build_reach(facts.engagements, index, today)
    chains = trace_chains(index, engaged)
    reach = chains.reach
    own_findings = controller_findings(
        index.active_controllers, facts.instructions, index, horizon)
    strictest = strictest_breach_notices(index.active_controllers, index)
    subcontractor_findings, matrix = assess_subcontractors(
        facts.subcontractors, index, reach, horizon, facts.requirement_groups, strictest)
    subcontractor_status = {
        subcontractor.id: worst(f.severity for f in subcontractor_findings[subcontractor.id])
        for subcontractor in facts.subcontractors
    }
    statuses, engagement_issues = assess_engagements(facts.engagements, index, today)
    findings = sort_findings(
        [
            *own_findings,
            *(finding for found in subcontractor_findings.values() for finding in found),
            *engagement_issues,
            *chains.findings,
            *assistance_findings(facts.assistance_requests,
                                 {controller.id: controller.name
                                  for controller in facts.controllers}, today),
        ]
    )
    assessment = Assessment(
        today=today,
        horizon_days=horizon_days,
        findings=findings,
        controller_status=_controller_status(index, reach, findings, subcontractor_status),
        subcontractor_status=subcontractor_status,
        engagement_status=statuses,
        requirement_matrix=matrix,
        controller_subcontractors=_controller_subcontractors(index, reach),
    )
    return TrackedAssessment(
        facts=recorded, assessment=with_return_or_deletion(assessment, recorded), index=index,
        reach=engaged, strictest=strictest, subcontractor_status=subcontractor_status,
        scope_all=any(engagement.controller_id is None for engagement in facts.engagements))


def _controller_subcontractors(index: RegistryIndex, reach: Reach) -> dict[int, tuple[int, ...]]:
    return {
        controller.id: tuple(
            sorted(reach.subcontractors_by_controller.get(controller.id, set()) | reach.scope_all)
        )
        for controller in index.active_controllers
    }


def controller_findings(
    controllers: Iterable[ControllerFacts], instructions: Iterable[InstructionFacts],
    index: RegistryIndex, horizon: Horizon,
) -> list[Finding]:
    """Return the DPA findings of `controllers` (active ones) and the findings of
    `instructions` whose controller is active."""
    findings = []
    for controller in controllers:
        current = index.current_dpas[controller.id]
        findings.extend(dpa_findings(controller, index.dpas[controller.id], current, horizon))
    for instruction in instructions:
        controller = index.controllers.get(instruction.controller_id)
        if controller is not None and controller.is_active_on(horizon.today):
            finding = instruction_finding(instruction, controller, horizon.today)
            if finding is not None:
                findings.append(finding)
    return findings


def strictest_breach_notices(controllers: Iterable[ControllerFacts], index: RegistryIndex
                             ) -> dict[int, StrictestBreachNotice]:
    """Return the breach-notice window of each of `controllers` (active ones) whose current
    DPA sets one."""
    return {
        controller.id: StrictestBreachNotice(dpa.breach_notice_hours, controller)
        for controller in controllers
        if (dpa := index.current_dpas[controller.id]) is not None
        and dpa.breach_notice_hours is not None
    }


def assess_subcontractors(
    subcontractors: Iterable[SubcontractorFacts],
    index: RegistryIndex,
    reach: Reach,
    horizon: Horizon,
    groups: Sequence[RequirementGroupFacts],
    by_controller: dict[int, StrictestBreachNotice],
) -> tuple[dict[int, list[Finding]], dict[int, tuple[RequirementStatus, ...]]]:
    """Return the findings and requirement statuses of each of `subcontractors`.

    `by_controller` holds the breach-notice window of every active controller that sets one.
    """
    rules = SubcontractorRules(groups, index.types, index.adequacy, horizon)
    strictest_overall = None
    findings: dict[int, list[Finding]] = {}
    matrix: dict[int, tuple[RequirementStatus, ...]] = {}
    for subcontractor in subcontractors:
        if subcontractor.status == "offboarded":
            findings[subcontractor.id], matrix[subcontractor.id] = [], ()
            continue
        if subcontractor.id in reach.scope_all:
            if strictest_overall is None:
                strictest_overall = (min(by_controller.values(), default=None,
                                         key=_notice_order),)
            strictest = strictest_overall[0]
        else:
            served = reach.controllers_by_subcontractor.get(subcontractor.id, ())
            strictest = min(
                (by_controller[cid] for cid in served if cid in by_controller),
                default=None,
                key=_notice_order,
            )
        findings[subcontractor.id], matrix[subcontractor.id] = assess_subcontractor(
            subcontractor, index.attestations.get(subcontractor.id, ()), strictest, rules
        )
    return findings, matrix


def _notice_order(notice: StrictestBreachNotice) -> tuple[int, int]:
    return notice.hours, notice.controller.id


def assess_engagements(
    engagements: Iterable[EngagementFacts], index: RegistryIndex, today: date,
    controller_ids: Collection[int] | None = None,
) -> tuple[dict[int | tuple[int, int], str], list[Finding]]:
    """Return the status of each of `engagements` and their findings.

    `controller_ids`, when given, are the only controllers `engagements` are for (scope-all
    ones aside): only their DPA terms are worked out.
    """
    statuses: dict[int | tuple[int, int], str] = {}
    findings: list[Finding] = []
    current_dpas = index.current_dpas
    terms = {
        controller_id: AuthorisationTerms.of(dpa, today)
        for controller_id, dpa in (
            current_dpas.items() if controller_ids is None
            else ((cid, current_dpas[cid]) for cid in controller_ids if cid in current_dpas))
    }
    if controller_ids is None:
        active = {controller.id: controller for controller in index.active_controllers}
    else:
        active = {controller.id: controller
                  for controller in known_controllers(index, controller_ids)
                  if controller.is_active_on(today)}
    for engagement in engagements:
        subcontractor = index.subcontractors.get(engagement.subcontractor_id)
        if subcontractor is not None and subcontractor.status == "offboarded":
            subcontractor = None  # an offboarded subcontractor's engagements need no action
        if engagement.controller_id is None:
            _assess_scope_all(engagement, subcontractor, index, today, statuses, findings)
            continue
        judged = judge_engagement(
            engagement, terms.get(engagement.controller_id, NO_AUTHORISATION), today)
        status = statuses[engagement.id] = judged[0]
        if status in QUIET_STATUSES or subcontractor is None or is_in_order(engagement, status):
            continue
        controller = active.get(engagement.controller_id)
        if controller is not None:
            findings.extend(
                engagement_findings(engagement, judged, controller, subcontractor, today))
    return statuses, findings


def known_controllers(index: RegistryIndex, controller_ids: Iterable[int]) -> list[ControllerFacts]:
    """Return the controllers of `controller_ids` that exist."""
    return [index.controllers[cid] for cid in controller_ids if cid in index.controllers]


def _assess_scope_all(
    engagement: EngagementFacts,
    subcontractor: SubcontractorFacts | None,
    index: RegistryIndex,
    today: date,
    statuses: dict[int | tuple[int, int], str],
    findings: list[Finding],
) -> None:
    seen = set()
    for group in index.active_by_terms.values():
        dpa = group[0][1]  # every DPA of the group has the same terms
        judged = judge_engagement(engagement, AuthorisationTerms.of(dpa, today), today)
        status = judged[0]
        seen.add(status)
        statuses.update({(engagement.id, controller.id): status for controller, _ in group})
        if status in QUIET_STATUSES or subcontractor is None:
            continue
        for controller, _ in group:
            findings.extend(
                engagement_findings(engagement, judged, controller, subcontractor, today))
    statuses[engagement.id] = (
        least_advanced(seen) if seen else engagement_status(engagement, None, today)
    )


def _controller_status(
    index: RegistryIndex,
    reach: Reach,
    findings: tuple[Finding, ...],
    subcontractor_status: dict[int, Severity],
) -> dict[int, Severity]:
    own: dict[int, Severity] = {}
    for finding in findings:
        if finding.controller_id is not None:
            own[finding.controller_id] = max(
                own.get(finding.controller_id, Severity.GREEN), finding.severity
            )
    scope_all = worst(subcontractor_status[sid] for sid in reach.scope_all)
    status = dict.fromkeys(index.controllers, Severity.GREEN)
    for controller in index.active_controllers:
        status[controller.id] = controller_status(
            own.get(controller.id, Severity.GREEN), scope_all,
            reach.subcontractors_by_controller.get(controller.id, ()), subcontractor_status)
    return status


def controller_status(own: Severity, scope_all: Severity, engaged: Iterable[int],
                      subcontractor_status: dict[int, Severity]) -> Severity:
    """Return an active controller's status: the worst of its own findings (`own`), of the
    subcontractors engaged for everyone (`scope_all`) and of those engaged for it."""
    return worst([own, scope_all, *(subcontractor_status[sid] for sid in engaged)])
