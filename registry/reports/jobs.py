"""Whole-registry reports made outside the request: requested on the web, made in the background.

A request records a queued `ReportJob` (audited `report.requested`) and returns at once. A
report runner (the worker always; the report thread of `dpa-registry serve` unless
REPORT_JOBS is `worker`) claims the oldest queued job with one UPDATE that only one process
can win, makes the PDF with the command line's limits, and stores it as a Document in the
database, so any web host can serve the download. `sweep` fails jobs whose process died
mid-way and deletes jobs, with their PDFs, once they expire.
"""

import hashlib
import io
import logging
import secrets
from datetime import timedelta

from flask import current_app
from pypdf import PdfReader

from registry import audit
from registry.background import Wakeup
from registry.clock import utc_now
from registry.db import write_transaction
from registry.i18n import LANGUAGES
from registry.models import Document, DocumentBlob, ReportJob, utcnow
from registry.reports.data import REPORTS
from registry.reports.limits import ReportError

log = logging.getLogger(__name__)

RUNNER = "report_runner"  # app.extensions key of this process's report thread, if any
# Jobs one user may have waiting or running at once: a queue, not a way to fill the disk.
MAX_PENDING_PER_USER = 3
# A job still "running" this long after its limit was abandoned by a process that died.
ABANDONED_MARGIN = timedelta(minutes=5)
WAITING = "Waiting to start"


class JobRefused(Exception):
    """A job cannot be requested; the message says why."""


def request_job(kind, as_of, user, language=None):
    """Queue a whole-registry report `kind` as of `as_of` for `user`; return the job.

    `language`: the language to write it in, the requesting page's (`current_language()`):
    a user who follows the browser's language gets the report in it, although the job that
    makes it has no browser to ask.
    """
    if REPORTS[kind].needs_controller:
        raise JobRefused(f"The {REPORTS[kind].title.lower()} is made for one controller.")
    with write_transaction():
        if pending_count(user) >= MAX_PENDING_PER_USER:
            raise JobRefused(f"You already have {MAX_PENDING_PER_USER} reports waiting or being "
                             "made; wait for one to finish.")
        job = ReportJob.create(requested_by=user, kind=kind, as_of=as_of, progress=WAITING,
                               expires_at=utcnow() + timedelta(days=keep_days()),
                               language=language if language in LANGUAGES else None)
        audit.record("report.requested", subject=job,
                     summary=f"Requested the whole-registry {REPORTS[kind].title.lower()} "
                             f"as of {as_of.isoformat()}",
                     details={"kind": kind, "as_of": as_of.isoformat()})
    kick()
    return job


def pending_count(user):
    """Return how many of `user`'s jobs are queued or running."""
    return (ReportJob.select()
            .where(ReportJob.requested_by == user,
                   ReportJob.status.in_(("queued", "running")))
            .count())


def keep_days():
    """Return how many days a job and its PDF are kept (REPORT_JOB_DAYS)."""
    return current_app.config["REPORT_JOB_DAYS"]


def _ask_worker():
    from registry import tasks

    tasks.kick_report_jobs()


# The worker is asked through the queue only when REPORT_JOBS is `worker`: without one a queued
# task would wait forever (a thread or the worker looks every minute anyway).
kick = Wakeup("reports", RUNNER, "REPORT_JOBS", _ask_worker).now


def run_queued(should_stop=lambda: False):
    """Make every queued report, oldest first; return how many were finished (done or failed)."""
    finished = 0
    while not should_stop():
        job = claim_next()
        if job is None:
            break
        run(job)
        finished += 1
    return finished


def claim_next():
    """Mark the oldest queued job running for this process and return it, or None."""
    token = secrets.token_hex(16)
    while True:
        candidate = (ReportJob.select(ReportJob.id)
                     .where(ReportJob.status == "queued")
                     .order_by(ReportJob.created_at, ReportJob.id)
                     .first())
        if candidate is None:
            return None
        with write_transaction():
            won = (ReportJob
                   .update(status="running", claim_token=token, started_at=utcnow(),
                           progress="Reading the registry and typesetting the PDF")
                   .where(ReportJob.id == candidate.id, ReportJob.status == "queued")
                   .execute())
        if won:
            return ReportJob.get_by_id(candidate.id)


def run(job):
    """Make `job`'s report and store it; a report that cannot be made fails with the reason."""
    try:
        from registry.reports.render import generate_report

        # Made in the background: in the language of the page that asked for it (kept with
        # the job), else the one the requester chose; there is no browser to ask.
        report = generate_report(job.kind, job.as_of, None, "cli", generated_at=utc_now(),
                                 language=job.language or job.requested_by.language)
    except ReportError as error:
        _finish(job, status="failed", error=str(error), progress="Could not be made")
        return
    except Exception:
        log.exception("report job %s failed", job.id)
        _finish(job, status="failed", progress="Could not be made",
                error="an unexpected error stopped it; the server log has the details")
        return
    pages = len(PdfReader(io.BytesIO(report.pdf)).pages)
    with write_transaction():
        document = _store(report, pages, job.requested_by_id)
        _finish(job, status="done", document=document,
                progress=f"Done: {pages} page{'s' if pages != 1 else ''}")


def _store(report, pages, user_id):
    sha256 = hashlib.sha256(report.pdf).hexdigest()
    DocumentBlob.insert(sha256=sha256, content=report.pdf,
                        size=len(report.pdf)).on_conflict_ignore().execute()
    blob = DocumentBlob.get(DocumentBlob.sha256 == sha256)
    return Document.create(blob=blob, filename=report.filename, media_type="application/pdf",
                           size=len(report.pdf), sha256=sha256, page_count=pages,
                           uploaded_by=user_id)


def _finish(job, *, status, progress, error="", document=None):
    with write_transaction():
        (ReportJob
         .update(status=status, progress=progress, error=error, document=document,
                 finished_at=utcnow())
         .where(ReportJob.id == job.id, ReportJob.claim_token == job.claim_token)
         .execute())
        audit.record(f"report.{'generated' if status == 'done' else 'failed'}", subject=job,
                     summary=f"{REPORTS[job.kind].title} as of {job.as_of.isoformat()}: "
                             f"{progress.lower()}", actor="system")


def sweep():
    """Fail jobs abandoned by a process that died; delete expired jobs with their PDFs.

    Return (abandoned, expired) counts.
    """
    now = utcnow()
    limit = timedelta(seconds=current_app.config.get("REPORT_CLI_TIMEOUT_SECONDS", 600))
    with write_transaction():
        abandoned = (ReportJob
                     .update(status="failed", finished_at=now, progress="Could not be made",
                             error="the process making it stopped; request the report again")
                     .where(ReportJob.status == "running",
                            ReportJob.started_at < now - limit - ABANDONED_MARGIN)
                     .execute())
        expired = list(ReportJob.select().where(ReportJob.expires_at < now))
        for job in expired:
            _delete(job)
        if abandoned or expired:
            audit.record("report.jobs_swept", actor="system",
                         summary=f"{abandoned} abandoned report job(s) failed, "
                                 f"{len(expired)} expired job(s) deleted",
                         details={"abandoned": abandoned, "expired": len(expired)})
    return abandoned, len(expired)


def _delete(job):
    document_id = job.document_id
    job.delete_instance()
    if document_id is None:
        return
    document = Document.get_by_id(document_id)
    blob_id = document.blob_id
    document.delete_instance()
    if not Document.select().where(Document.blob == blob_id).exists():
        DocumentBlob.delete().where(DocumentBlob.id == blob_id).execute()
