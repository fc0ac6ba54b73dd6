"""The entry point: assess the whole registry on one day.

Every row is indexed once up front, so the work grows with the number of rows (a scope-all
engagement counts once per active controller), never with rows times controllers scanned.
"""

import dataclasses
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
    EngagementFacts,
    RegistryFacts,
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


def assess(facts: RegistryFacts, today: date, horizon_days: int = 60,
           now: datetime | None = None) -> Assessment:
    """Assess every controller, subcontractor and engagement in `facts` on `today`.

    Hour-precision deadlines (incidents, data-subject requests) are judged at the aware
    instant `now`; without it they are left out, for a caller that judges them itself
    (`judge_hours`, as the shared snapshot does, which keeps the day's assessment for every
    hour of the day).
    """
    recorded = facts
    if any(subcontractor.history for subcontractor in facts.subcontractors):
        facts = dataclasses.replace(facts, subcontractors=tuple(
            subcontractor.as_of(today) for subcontractor in facts.subcontractors))
    horizon = Horizon.starting(today, horizon_days)
    index = build_index(facts, today)
    chains = trace_chains(index, build_reach(facts.engagements, index, today))
    reach = chains.reach
    controller_findings = _controller_findings(facts, index, horizon)
    subcontractor_findings, matrix = _assess_subcontractors(index, reach, facts, horizon)
    subcontractor_status = {
        subcontractor.id: worst(f.severity for f in subcontractor_findings[subcontractor.id])
        for subcontractor in facts.subcontractors
    }
    statuses, engagement_issues = _assess_engagements(facts.engagements, index, today)
    findings = sort_findings(
        [
            *controller_findings,
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
    assessment = with_return_or_deletion(assessment, recorded)
    return assessment if now is None else judge_hours(assessment, recorded, now)


def _controller_subcontractors(index: RegistryIndex, reach: Reach) -> dict[int, tuple[int, ...]]:
    return {
        controller.id: tuple(
            sorted(reach.subcontractors_by_controller.get(controller.id, set()) | reach.scope_all)
        )
        for controller in index.active_controllers
    }


def _controller_findings(
    facts: RegistryFacts, index: RegistryIndex, horizon: Horizon
) -> list[Finding]:
    findings = []
    for controller in index.active_controllers:
        current = index.current_dpas[controller.id]
        findings.extend(dpa_findings(controller, index.dpas[controller.id], current, horizon))
    for instruction in facts.instructions:
        controller = index.controllers.get(instruction.controller_id)
        if controller is not None and controller.is_active_on(horizon.today):
            finding = instruction_finding(instruction, controller, horizon.today)
            if finding is not None:
                findings.append(finding)
    return findings


def _strictest_breach_notices(index: RegistryIndex) -> dict[int, StrictestBreachNotice]:
    return {
        controller.id: StrictestBreachNotice(dpa.breach_notice_hours, controller)
        for controller in index.active_controllers
        if (dpa := index.current_dpas[controller.id]) is not None
        and dpa.breach_notice_hours is not None
    }


def _assess_subcontractors(
    index: RegistryIndex, reach: Reach, facts: RegistryFacts, horizon: Horizon
) -> tuple[dict[int, list[Finding]], dict[int, tuple[RequirementStatus, ...]]]:
    rules = SubcontractorRules(facts.requirement_groups, index.types, index.adequacy, horizon)
    by_controller = _strictest_breach_notices(index)
    strictest_overall = min(by_controller.values(), default=None, key=_notice_order)
    findings: dict[int, list[Finding]] = {}
    matrix: dict[int, tuple[RequirementStatus, ...]] = {}
    for subcontractor in facts.subcontractors:
        if subcontractor.status == "offboarded":
            findings[subcontractor.id], matrix[subcontractor.id] = [], ()
            continue
        if subcontractor.id in reach.scope_all:
            strictest = strictest_overall
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


def _assess_engagements(
    engagements: tuple[EngagementFacts, ...], index: RegistryIndex, today: date
) -> tuple[dict[int | tuple[int, int], str], list[Finding]]:
    statuses: dict[int | tuple[int, int], str] = {}
    findings: list[Finding] = []
    terms = {
        controller_id: AuthorisationTerms.of(dpa, today)
        for controller_id, dpa in index.current_dpas.items()
    }
    active = {controller.id: controller for controller in index.active_controllers}
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
        engaged = reach.subcontractors_by_controller.get(controller.id, ())
        status[controller.id] = worst(
            [
                own.get(controller.id, Severity.GREEN),
                scope_all,
                *(subcontractor_status[sid] for sid in engaged),
            ]
        )
    return status
