"""Plain data for each report, built from one snapshot of the registry and the engine's verdicts.

`REPORTS` names the reports; `build_report(kind, today, controller_id)` returns the dict a
template in `templates/reports/` typesets.
"""

from typing import NamedTuple

from registry.models import AssistanceRequest, Incident, IncidentNotice, SubjectRequest
from registry.reports.data.compliance import compliance_report
from registry.reports.data.incidents import incident_register
from registry.reports.data.record import processing_record
from registry.reports.data.register import dpa_register
from registry.reports.data.requests import request_register
from registry.reports.data.subprocessors import subprocessor_list
from registry.reports.snapshot import take_snapshot


class ReportKind(NamedTuple):
    """One report: its title, what it contains, its builder and template, and its scope rules."""

    title: str
    description: str
    build: object
    template: str
    needs_controller: bool
    filename: str
    # What counts against REPORT_WEB_MAX_ROWS (None: the registry's size, see reports.views).
    web_rows: object = None


REPORTS = {
    "compliance": ReportKind(
        "Compliance report",
        "Status by area, every finding with its due date, DPA checklists, subcontractors with "
        "their evidence, engagements with their authorisation dates.",
        compliance_report, "reports/compliance.html", False, "compliance-report",
    ),
    "subprocessors": ReportKind(
        "Sub-processor list",
        "For one controller: each sub-processor processing its data, with purpose, locations, "
        "transfer safeguard and date of authorisation, and pending changes.",
        subprocessor_list, "reports/subprocessors.html", True, "sub-processors",
    ),
    "processing-record": ReportKind(
        "Record of processing activities (Art. 30(2))",
        "The processor's record: controllers, categories of processing, transfers to third "
        "countries with safeguards, and the security measures.",
        processing_record, "reports/processing_record.html", False, "processing-record",
    ),
    "dpa-register": ReportKind(
        "DPA register",
        "Every controller's DPA versions with signed date, expiry, authorisation type and "
        "checklist completeness.",
        dpa_register, "reports/dpa_register.html", False, "dpa-register",
    ),
    "incident-register": ReportKind(
        "Incident register (Art. 33(5))",
        "Every personal-data breach with its facts, effects and remedial action, and each "
        "affected controller's notice: due by, given when and to whom, follow-ups.",
        incident_register, "reports/incident_register.html", False, "incident-register",
        web_rows=lambda: Incident.select().count() + IncidentNotice.select().count(),
    ),
    "request-register": ReportKind(
        "Request register (Art. 28(3)(e), (f), (h))",
        "Every data-subject request with when it was due and forwarded, the controller's "
        "instruction and our tasks; every assistance request with when it was due and answered.",
        request_register, "reports/request_register.html", False, "request-register",
        web_rows=lambda: SubjectRequest.select().count() + AssistanceRequest.select().count(),
    ),
}


def build_report(kind, today, controller_id=None, *, generated_at):
    """Return the data of report `kind` as of `today`, for one controller or the whole registry.

    `generated_at` is the aware moment the report is made (the request's or command's now).

    Raises KeyError for an unknown kind, ValueError when the kind needs a controller and none is
    given, and `registry.checks.UnknownController` for an id that names no controller.
    """
    spec = REPORTS[kind]
    if spec.needs_controller and controller_id is None:
        raise ValueError(f"the {spec.title.lower()} is made for one controller: choose one")
    snapshot = take_snapshot(today, controller_id, generated_at=generated_at)
    return spec.build(snapshot, controller_id)
