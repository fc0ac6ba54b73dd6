"""The /reports page and its "Download PDF" endpoint, for legal staff, admins and auditors.

Large whole-registry reports are not typeset inside a web request: when the registry holds more
than REPORT_WEB_MAX_ROWS controllers, subcontractors and engagements together, the page offers
to make the report in the background instead (`registry.reports.job_views`), and names the CLI
command that makes it on the server (`dpa-registry report ...`). Per-controller reports are
always available here.
"""

import io

from flask import current_app, render_template, request, send_file

from registry import audit
from registry.auth.access import READERS, roles_required
from registry.auth.forms import add_errors
from registry.clock import local_today, utc_now
from registry.concurrency import REPORT, bounded
from registry.models import Controller, Engagement, Subcontractor
from registry.reports import blueprint
from registry.reports.data import REPORTS
from registry.reports.forms import ReportForm, ReportJobForm
from registry.reports.limits import ReportError
from registry.reports.render import generate_report

DEFAULT_WEB_MAX_ROWS = 1000


@blueprint.get("")
@roles_required(*READERS)
def list_reports():
    """Show the reports with a form to choose the controller and the date."""
    form = ReportForm(formdata=None, data={"today": local_today(), "kind": "compliance"})
    return _render(form)


@blueprint.get("/download")
@roles_required(*READERS)
def download_report():
    """Typeset the chosen report and send it as a PDF attachment."""
    form = ReportForm(request.args)
    if not form.validate():
        return _render(form, status=400)
    kind, controller_id = form.kind.data, form.chosen_controller_id()
    today = form.today.data or local_today()
    refusal = web_refusal(kind, controller_id)
    if refusal:
        add_errors(form.controller_id, [refusal])
        job_form = ReportJobForm(formdata=None, data={"kind": kind, "today": today})
        return _render(form, status=400, job_form=job_form)
    try:
        with bounded(REPORT):
            report = generate_report(kind, today, controller_id, "web", generated_at=utc_now())
    except ReportError as error:
        return _render(form, error=f"The report could not be made: {error}.", status=503)
    _record_download(kind, controller_id, today, report.filename)
    response = send_file(io.BytesIO(report.pdf), mimetype="application/pdf", as_attachment=True,
                         download_name=report.filename, max_age=0)
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def web_refusal(kind, controller_id):
    """Return why a report is not made in a web request (too big), or None."""
    if controller_id is not None:
        return None
    limit = current_app.config.get("REPORT_WEB_MAX_ROWS", DEFAULT_WEB_MAX_ROWS)
    counted = REPORTS[kind].web_rows
    if counted is not None:
        size = counted()
        if size <= limit:
            return None
        return (f"The whole register ({size:,} incidents and notices) is too large to typeset "
                f"here (limit {limit:,}). Make it in the background, choose one controller, or "
                f"run `dpa-registry report {kind} -o {kind}.pdf` on the server.")
    size = (Controller.select().count() + Subcontractor.select().count()
            + Engagement.select().count())
    if size <= limit:
        return None
    return (f"The whole registry ({size:,} controllers, subcontractors and engagements) is too "
            f"large to typeset here (limit {limit:,}). Make it in the background, choose one "
            f"controller, or run `dpa-registry report {kind} -o {kind}.pdf` on the server.")


def _record_download(kind, controller_id, today, filename):
    # Reports carry contact details: who took which copy belongs in the record.
    subject = ("controller", controller_id) if controller_id is not None else None
    audit.record("report.downloaded", subject=subject, summary=f"Downloaded {filename}",
                 details={"kind": kind, "as_of": today.isoformat()})


def _render(form, error=None, status=200, job_form=None):
    return render_template("reports/index.html", form=form, reports=REPORTS, error=error,
                           job_form=job_form), status
