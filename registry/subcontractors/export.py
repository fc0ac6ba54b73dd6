"""The subcontractor list as CSV: UTF-8 with BOM (for spreadsheets), safe from formula injection."""

import io

from registry.chains import parent_names
from registry.compliance import TRANSFER_MECHANISMS
from registry.csv_export import safe_cell, writer

HEADER = (
    "Name", "Business ID", "Country", "Risk tier", "Status", "Worst finding", "Red findings",
    "Amber findings", "Requirements met", "Requirements", "Flow-down agreement signed on",
    "Processing locations", "Transfer mechanism", "Engagements", "Purpose", "Contacts",
    "Offboarded on", "Engaged by",
)


def _requirements(matrix):
    met = sum(1 for status in matrix if status.state in ("ok", "expiring"))
    described = "; ".join(
        f"{status.label}: {status.state}"
        + (f" until {status.valid_until.isoformat()}" if status.valid_until else "")
        for status in matrix
    )
    # "1 of 2", not "1/2": a spreadsheet opening the file would read "1/2" as a date.
    return f"{met} of {len(matrix)}", described


def _row(subcontractor, severity, engagements, assessment, signed_on, engaged_by):
    findings = assessment.findings_for_subcontractor(subcontractor.id)
    met, described = _requirements(assessment.requirement_matrix.get(subcontractor.id, ()))
    mechanism = subcontractor.transfer_mechanism
    return (
        subcontractor.name, subcontractor.business_id, subcontractor.country,
        subcontractor.risk_tier, subcontractor.status,
        "" if subcontractor.status == "offboarded" else severity.value,
        sum(1 for finding in findings if finding.severity.value == "red"),
        sum(1 for finding in findings if finding.severity.value == "amber"),
        met, described, signed_on.isoformat() if signed_on else "",
        " ".join(subcontractor.processing_countries),
        TRANSFER_MECHANISMS.get(mechanism, mechanism) if mechanism else "",
        engagements, subcontractor.purpose, " ".join(subcontractor.contacts),
        subcontractor.offboarded_on.isoformat() if subcontractor.offboarded_on else "",
        engaged_by,
    )


def subcontractors_csv(rows, snapshot):
    """Return the CSV bytes (UTF-8 with BOM) for (subcontractor, severity, count) rows."""
    assessment = snapshot.assessment
    today = assessment.today
    signed = {}
    for facts in snapshot.facts.subcontractors:
        agreement = facts.flow_down_on(today)
        signed[facts.id] = agreement.signed_on if agreement else None
    buffer = io.StringIO()
    lines = writer(buffer)
    lines.writerow(HEADER)
    parents = parent_names([subcontractor for subcontractor, _, _ in rows])
    for subcontractor, severity, engagements in rows:
        values = _row(subcontractor, severity, engagements, assessment,
                      signed.get(subcontractor.id), parents.get(subcontractor.id, ""))
        lines.writerow([safe_cell(value) for value in values])
    return buffer.getvalue().encode("utf-8-sig")
