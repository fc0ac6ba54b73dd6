"""The compliance report: cover, summary by area, findings, DPA checklists, subcontractors with
their requirements and evidence, and engagements with their authorisation dates.
"""

from collections import defaultdict

from registry.compliance import AREAS, CLAUSE_KEYS, Severity, objection_deadline
from registry.reports.data.common import (
    AREA_LABELS,
    AUTHORISATION_LABELS,
    ENGAGEMENT_STATUS_LABELS,
    authorisation_basis,
    clause_rows,
    clause_summary,
    dpa_name,
    engagement_status,
    joined,
    report_meta,
    severity_value,
    transfer_summary,
    worst_value,
)

REQUIREMENT_STATE_LABELS = {
    "ok": "in order",
    "expiring": "expiring",
    "expired": "expired",
    "missing": "missing",
}
REQUIREMENT_STATE_SEVERITY = {
    "ok": "green",
    "expiring": "amber",
    "expired": "red",
    "missing": "red",
}
# A whole-registry report lists every engagement up to this many; beyond it, only those that are
# not authorised (per-controller reports always list every one with its authorisation date).
ENGAGEMENT_LIST_LIMIT = 2000


def compliance_report(snapshot, controller_id=None):
    """Return the compliance report for the whole registry or one controller, as plain values."""
    assessment = snapshot.assessment
    if controller_id is None:
        controller_ids = sorted(snapshot.controllers, key=lambda cid: _sort_name(snapshot, cid))
        subcontractor_ids = sorted(snapshot.subcontractors,
                                   key=lambda sid: snapshot.subcontractor_name(sid).casefold())
        findings = assessment.findings
        overall = worst_value(findings)
    else:
        controller_ids = [controller_id]
        engaged = set(assessment.controller_subcontractors.get(controller_id, ()))
        subcontractor_ids = sorted(engaged,
                                   key=lambda sid: snapshot.subcontractor_name(sid).casefold())
        findings = tuple(
            finding for finding in assessment.findings
            if finding.controller_id == controller_id
            or (finding.controller_id is None and finding.subcontractor_id in engaged)
        )
        overall = severity_value(assessment.controller_status.get(controller_id))
    report = report_meta(snapshot, "Compliance report", controller_id)
    report.update(
        overall=overall,
        summary=_summary(findings),
        counts={
            "controllers": len(controller_ids),
            "subcontractors": len(subcontractor_ids),
            "findings": len(findings),
        },
        findings=[_finding_row(snapshot, finding) for finding in findings],
        dpas=[_dpa_row(snapshot, cid) for cid in controller_ids],
        subcontractors=[_subcontractor_row(snapshot, sid) for sid in subcontractor_ids],
        clause_legend=[{"letter": key.letter, "label": key.label} for key in CLAUSE_KEYS],
    )
    report.update(_engagements(snapshot, controller_id, findings))
    return report


def _sort_name(snapshot, controller_id):
    return snapshot.controller_name(controller_id).casefold()


def _summary(findings):
    counts = {area: {"red": 0, "amber": 0} for area in AREAS}
    for finding in findings:
        counts[finding.area][finding.severity.value] += 1
    rows = []
    for area in AREAS:
        red, amber = counts[area]["red"], counts[area]["amber"]
        status = "red" if red else "amber" if amber else "green"
        rows.append({"area": AREA_LABELS[area], "red": red, "amber": amber, "status": status})
    return rows


def _finding_subject(snapshot, finding):
    controller = (
        snapshot.controller_name(finding.controller_id) if finding.controller_id else None
    )
    subcontractor = (
        snapshot.subcontractor_name(finding.subcontractor_id) if finding.subcontractor_id else None
    )
    if finding.subject_type == "dpa":
        return f"DPA v{snapshot.dpas_by_id[finding.subject_id].version}, {controller}"
    if finding.subject_type == "instruction":
        return f"Instruction, {controller}"
    if finding.subject_type == "attestation":
        return f"Attestation, {subcontractor}"
    if finding.subject_type == "engagement":
        return f"{subcontractor} for {controller}"
    return controller or subcontractor or ""


def _finding_row(snapshot, finding):
    return {
        "severity": finding.severity.value,
        "area": AREA_LABELS[finding.area],
        "code": finding.code,
        "subject": _finding_subject(snapshot, finding),
        "message": finding.message,
        "due_on": finding.due_on,
    }


def _dpa_row(snapshot, controller_id):
    controller = snapshot.controllers[controller_id]
    dpa = snapshot.current_dpa(controller_id)
    row = {
        "controller": controller["name"],
        "controller_status": controller["status"],
        "dpa": None,
        "clauses": [],
        "completeness": "",
    }
    if dpa is not None:
        row.update(
            dpa={
                "name": dpa_name(dpa), "signed_on": dpa.signed_on,
                "expires_on": dpa.expires_on, "review_due_on": dpa.review_due_on,
                "authorisation": AUTHORISATION_LABELS[dpa.subprocessor_authorisation],
                "objection_period_days": dpa.objection_period_days,
                "breach_notice_hours": dpa.breach_notice_hours,
            },
            clauses=clause_rows(dpa.clauses),
            completeness=clause_summary(dpa.clauses),
        )
    return row


def _subcontractor_row(snapshot, subcontractor_id):
    row = snapshot.subcontractors[subcontractor_id]
    facts = snapshot.subcontractor_facts[subcontractor_id]
    requirements = []
    for status in snapshot.assessment.requirement_matrix.get(subcontractor_id, ()):
        evidence = snapshot.evidence.get(status.satisfied_by)
        requirements.append({
            "label": status.label,
            "state": REQUIREMENT_STATE_LABELS[status.state],
            "severity": REQUIREMENT_STATE_SEVERITY[status.state],
            "valid_until": status.valid_until,
            "evidence": _evidence_text(evidence),
        })
    return {
        "name": row["name"],
        "country": row["country"],
        "risk_tier": row["risk_tier"],
        "status": row["status"],
        "severity": severity_value(snapshot.assessment.subcontractor_status.get(subcontractor_id)),
        "purpose": row["purpose"],
        "processing_countries": joined(row["processing_countries"]),
        "flow_down_signed_on": facts.flow_down_signed_on,
        "flow_down": clause_summary(facts.flow_down_clauses) if facts.flow_down_signed_on else "",
        "transfer": transfer_summary(facts, row),
        "requirements": requirements,
    }


def _evidence_text(evidence):
    if evidence is None:
        return ""
    details = joined([evidence["issuer"], evidence["reference"]], empty="")
    return f"{evidence['type']} ({details})" if details else evidence["type"]


def _engagements(snapshot, controller_id, findings):
    severities = defaultdict(dict)
    for finding in findings:
        if finding.subject_type == "engagement":
            by_controller = severities[finding.subject_id]
            known = by_controller.get(finding.controller_id, Severity.GREEN)
            by_controller[finding.controller_id] = max(known, finding.severity)
    rows = []
    for engagement in snapshot.facts.engagements:
        if controller_id is not None and engagement.controller_id not in (None, controller_id):
            continue
        status = engagement_status(snapshot, engagement, controller_id)
        if status is None or engagement.subcontractor_id not in snapshot.subcontractors:
            continue
        rows.append(_engagement_row(snapshot, engagement, controller_id, status, severities))
    total = len(rows)
    authorised = sum(1 for row in rows if row["status"] == "authorised")
    abridged = controller_id is None and total > ENGAGEMENT_LIST_LIMIT
    if abridged:
        rows = [row for row in rows if row["status"] != "authorised"]
    rows.sort(key=lambda row: (row["subcontractor"].casefold(), row["controller"].casefold()))
    return {
        "engagements": rows,
        "engagement_counts": {"total": total, "authorised": authorised, "abridged": abridged},
    }


def _deadline(snapshot, engagement, controller_id):
    dpa = snapshot.current_dpa(controller_id) if controller_id is not None else None
    deadline = objection_deadline(engagement, dpa, snapshot.today)
    if deadline is not None:
        return {"deadline": deadline, "deadline_label": "objections until"}
    return {"deadline": engagement.objection_deadline, "deadline_label": "approval requested by"}


def _engagement_row(snapshot, engagement, controller_id, status, severities):
    for_controller = engagement.controller_id or controller_id
    if for_controller is None:
        since, basis = None, "per controller's DPA"
        controller = "All controllers"
    else:
        dpa = snapshot.current_dpa(for_controller)
        since, basis = authorisation_basis(engagement, dpa, status, snapshot.today)
        controller = snapshot.controller_name(for_controller)
    found = severities.get(engagement.id, {})
    if for_controller is not None:
        found = {for_controller: found.get(for_controller, Severity.GREEN)}
    severity = max(found.values(), default=Severity.GREEN).value
    return {
        "subcontractor": snapshot.subcontractor_name(engagement.subcontractor_id),
        "controller": controller,
        "scope_all": engagement.controller_id is None,
        "status": status,
        "status_label": ENGAGEMENT_STATUS_LABELS.get(status, status),
        "severity": severity,
        "authorised_on": since,
        "basis": basis,
        "notified_on": engagement.notified_on,
        **_deadline(snapshot, engagement, for_controller),
        "approved_on": engagement.approved_on,
        "withdrawn_on": engagement.withdrawn_on,
    }
