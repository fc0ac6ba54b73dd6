"""The DPA register: every controller's DPAs with version, dates, authorisation type and how
complete the Art. 28(3) checklist is, with the current one marked.
"""

from flask_babel import lazy_gettext as _l

from registry.compliance import Severity
from registry.reports.data.common import clause_summary, dpa_name, report_meta


def dpa_register(snapshot, controller_id=None):
    """Return the DPA register of the whole registry or one controller, as plain values."""
    if controller_id is None:
        controller_ids = sorted(snapshot.controllers,
                                key=lambda cid: snapshot.controller_name(cid).casefold())
    else:
        controller_ids = [controller_id]
    dpa_severity = _dpa_severities(snapshot)
    entries = [
        _entry(snapshot, cid, dpa_severity.get(cid, Severity.GREEN)) for cid in controller_ids
    ]
    report = report_meta(snapshot, _l("DPA register"), controller_id)
    report.update(
        entries=entries,
        counts={
            "controllers": len(entries),
            "dpas": sum(len(entry["dpas"]) for entry in entries),
            "without_dpa": sum(1 for entry in entries if entry["current"] is None
                               and entry["status"] == "active"),
            "red": sum(1 for entry in entries if entry["severity"] == "red"),
            "amber": sum(1 for entry in entries if entry["severity"] == "amber"),
        },
    )
    return report


def _dpa_severities(snapshot):
    severities = {}
    for finding in snapshot.assessment.findings:
        if finding.area == "dpas" and finding.controller_id is not None:
            known = severities.get(finding.controller_id, Severity.GREEN)
            severities[finding.controller_id] = max(known, finding.severity)
    return severities


def _entry(snapshot, controller_id, severity):
    row = snapshot.controllers[controller_id]
    current = snapshot.current_dpa(controller_id)
    versions = sorted(snapshot.dpas_by_controller.get(controller_id, ()),
                      key=lambda dpa: (dpa.version, dpa.id), reverse=True)
    return {
        "controller": row["name"],
        "business_id": row["business_id"] or "",
        "status": row["status"],
        "severity": severity.value,
        "current": current.id if current is not None else None,
        "dpas": [
            {
                "name": dpa_name(dpa),
                "status": dpa.status,
                "is_current": current is not None and dpa.id == current.id,
                "signed_on": dpa.signed_on,
                "effective_from": dpa.effective_from,
                "expires_on": dpa.expires_on,
                "authorisation": dpa.subprocessor_authorisation,
                "objection_period_days": dpa.objection_period_days,
                "checklist": clause_summary(dpa.clauses),
            }
            for dpa in versions
        ],
    }
