"""Whole-registry reports made in the background: request one, watch it, download it.

Only the person who requested a job, and admins, see it (`get_job_or_404`). The PDF is a
Document in the database, so whichever web host takes the download can send it.
"""

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from registry import audit
from registry.auth.access import READERS, roles_required
from registry.clock import local_today
from registry.documents import download_response
from registry.i18n import current_language
from registry.models import ReportJob, utcnow
from registry.reports import blueprint
from registry.reports.data import REPORTS
from registry.reports.forms import ReportJobForm
from registry.reports.jobs import JobRefused, request_job

# A queued job waiting longer than this is shown with a hint that nothing is making reports.
STALLED_MINUTES = 5


def get_job_or_404(job_id):
    """Return the job if the signed-in user requested it or is an admin; else 404."""
    job = ReportJob.get_or_none(ReportJob.id == job_id)
    if job is None or not (current_user.role == "admin"
                           or job.requested_by_id == current_user.id):
        abort(404)
    return job


@blueprint.post("/jobs")
@roles_required(*READERS)
def request_report_job():
    """Queue a whole-registry report for the background and show its progress page."""
    form = ReportJobForm()
    if not form.validate():
        flash(" ".join(error for errors in form.errors.values() for error in errors), "error")
        return redirect(url_for("reports.list_reports"))
    try:
        job = request_job(form.kind.data, form.today.data or local_today(),
                          current_user._get_current_object(), language=current_language())
    except JobRefused as refusal:
        flash(str(refusal), "error")
        return redirect(url_for("reports.list_jobs"))
    return redirect(url_for("reports.show_job", job_id=job.id))


@blueprint.get("/jobs")
@roles_required(*READERS)
def list_jobs():
    """List the background reports the user requested (admins: everyone's), newest first."""
    jobs = ReportJob.select().order_by(ReportJob.created_at.desc(), ReportJob.id.desc())
    if current_user.role != "admin":
        jobs = jobs.where(ReportJob.requested_by == current_user.id)
    return render_template("reports/jobs.html", jobs=list(jobs), reports=REPORTS)


@blueprint.get("/jobs/<int:job_id>")
@roles_required(*READERS)
def show_job(job_id):
    """Show a background report's progress, refreshing itself until it is done."""
    job = get_job_or_404(job_id)
    waiting_minutes = (utcnow() - job.created_at).total_seconds() / 60
    stalled = job.status == "queued" and waiting_minutes > STALLED_MINUTES
    return render_template("reports/job.html", job=job, report=REPORTS[job.kind],
                           stalled=stalled)


@blueprint.get("/jobs/<int:job_id>/download")
@roles_required(*READERS)
def download_job(job_id):
    """Send a finished background report as a PDF attachment (recorded in the audit log)."""
    job = get_job_or_404(job_id)
    if job.status != "done" or job.document is None:
        abort(404)
    audit.record("report.downloaded", subject=job, summary=f"Downloaded {job.document.filename}",
                 details={"kind": job.kind, "as_of": job.as_of.isoformat()})
    return download_response(job.document)
