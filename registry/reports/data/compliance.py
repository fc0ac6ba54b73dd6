"""The compliance report: cover, summary by area, findings, DPA checklists, subcontractors with
their requirements and evidence, and engagements with their authorisation dates.

For one controller, each subcontractor's row also carries its engagement(s) for that controller
(status and authorisation date), so the report needs no separate engagement list.
"""

from flask_babel import lazy_gettext as _l

from registry.compliance import AREAS, CLAUSE_KEYS, Severity, worst
from registry.labels import CLAUSE_LABELS
from registry.reports.data.common import (
    AREA_LABELS,
    AUTHORISATION_LABELS,
    clause_rows,
    clause_summary,
    dpa_name,
    joined,
    report_meta,
    severity_value,
    transfer_summary,
    worst_value,
)
from registry.reports.data.engagements import engagement_rows

REQUIREMENT_STATE_LABELS = {
    "ok": _l("in order"),
    "expiring": _l("expiring"),
    "expired": _l("expired"),
    "missing": _l("missing"),
}
REQUIREMENT_STATE_SEVERITY = {
    "ok": "green",
    "expiring": "amber",
    "expired": "red",
    "missing": "red",
}


def compliance_report(snapshot, controller_id=None):
    """Return the compliance report for the whole registry or one controller, as plain values."""
    controller_ids, findings, overall = _scope(snapshot, controller_id)
    engagements = engagement_rows(snapshot, controller_id, findings)
    if controller_id is None:
        subcontractor_ids = set(snapshot.subcontractors)
    else:
        # Those processing its data, and those whose engagement for it ended (withdrawn).
        subcontractor_ids = {row["subcontractor_id"] for row in engagements["engagements"]}
        subcontractor_ids.update(
            snapshot.assessment.controller_subcontractors.get(controller_id, ()))
    report = report_meta(snapshot, _l("Compliance report"), controller_id)
    report.update(
        engagements,
        overall=overall,
        summary=_summary(findings),
        counts={
            "controllers": len(controller_ids),
            "subcontractors": len(subcontractor_ids),
            "findings": len(findings),
        },
        findings=[_finding_row(snapshot, finding) for finding in findings],
        dpas=[_dpa_row(snapshot, cid) for cid in controller_ids],
        subcontractors=_subcontractor_rows(snapshot, subcontractor_ids, engagements, controller_id),
        clause_legend=[{"letter": key.letter, "label": CLAUSE_LABELS[str(key)]}
                       for key in CLAUSE_KEYS],
    )
    return report


def _scope(snapshot, controller_id):
    """Return the controller ids, findings and overall status the report covers."""
    assessment = snapshot.assessment
    if controller_id is None:
        controller_ids = sorted(snapshot.controllers, key=lambda cid: _sort_name(snapshot, cid))
        return controller_ids, assessment.findings, worst_value(assessment.findings)
    engaged = set(assessment.controller_subcontractors.get(controller_id, ()))
    findings = tuple(
        finding for finding in assessment.findings
        if finding.controller_id == controller_id
        or (finding.controller_id is None and finding.subcontractor_id in engaged)
    )
    overall = severity_value(assessment.controller_status.get(controller_id))
    return [controller_id], findings, overall


def _subcontractor_rows(snapshot, subcontractor_ids, engagements, controller_id):
    rows = [_subcontractor_row(snapshot, sid) for sid in subcontractor_ids]
    if controller_id is not None:
        for row in rows:
            row["engagements"] = [
                engagement for engagement in engagements["engagements"]
                if engagement["subcontractor_id"] == row["id"]
            ]
            row["severity"] = worst(
                Severity(value) for value in
                (row["severity"], *(engagement["severity"] for engagement in row["engagements"]))
            ).value
    return sorted(rows, key=lambda row: row["name"].casefold())


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
    # Lazy: the report is typeset in its reader's language after the data is read.
    if finding.subject_type == "dpa":
        return _l("DPA v%(version)s, %(controller)s",
                  version=snapshot.dpas_by_id[finding.subject_id].version, controller=controller)
    if finding.subject_type == "instruction":
        return _l("Instruction, %(controller)s", controller=controller)
    if finding.subject_type == "attestation":
        return _l("Attestation, %(subcontractor)s", subcontractor=subcontractor)
    if finding.subject_type == "engagement":
        return _l("%(subcontractor)s for %(controller)s", subcontractor=subcontractor,
                  controller=controller)
    return controller or subcontractor or ""


def _finding_row(snapshot, finding):
    return {
        "severity": finding.severity.value,
        "area": AREA_LABELS[finding.area],
        "code": finding.code,
        "subject": _finding_subject(snapshot, finding),
        "message": finding.message,
        "phrase": finding.phrase,  # shown in the report's language (`finding_text`)
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
    flow_down = facts.flow_down_on(snapshot.today)
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
        "id": subcontractor_id,
        "name": row["name"],
        "country": row["country"],
        "risk_tier": row["risk_tier"],
        "status": row["status"],
        "severity": severity_value(snapshot.assessment.subcontractor_status.get(subcontractor_id)),
        "purpose": row["purpose"],
        "processing_countries": joined(row["processing_countries"]),
        "flow_down_signed_on": flow_down.signed_on if flow_down else None,
        "flow_down": clause_summary(flow_down.clauses) if flow_down else "",
        "transfer": transfer_summary(facts, row),
        "requirements": requirements,
    }


def _evidence_text(evidence):
    if evidence is None:
        return ""
    details = joined([evidence["issuer"], evidence["reference"]], empty="")
    return f"{evidence['type']} ({details})" if details else evidence["type"]
