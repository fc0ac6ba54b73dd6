"""The Import page (check an upload with a dry run, then confirm), the template and the export."""

import io
import json

from flask import (
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from registry import audit
from registry.auth.access import READERS, STAFF, roles_required
from registry.auth.forms import add_errors
from registry.clock import local_today
from registry.db import write_transaction
from registry.interchange import blueprint, uploads
from registry.interchange.cli import attestation_type_codes
from registry.interchange.exporter import export_document
from registry.interchange.forms import ConfirmImportForm, UploadForm
from registry.interchange.importer import import_source
from registry.interchange.sources import UnreadableFile, read_upload
from registry.interchange.spreadsheet import write_template

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHOWN_PROBLEMS = 500
SHOWN_CHANGES = 50
TITLES = {
    "controllers": "Controllers", "subcontractors": "Subcontractors",
    "flow_down_agreements": "Flow-down agreements", "dpas": "DPAs",
    "instructions": "Instructions", "engagements": "Engagements",
    "attestations": "Attestations",
}


def _me():
    return current_user._get_current_object()


@blueprint.get("/import")
@roles_required(*STAFF)
def show_import():
    """Show the upload form, the template download and the export button."""
    return render_template("interchange/import.html", form=UploadForm())


@blueprint.post("/import")
@roles_required(*STAFF)
def check_import():
    """Check an uploaded workbook or JSON file with a dry run and show what would change."""
    form = UploadForm()
    if not form.validate_on_submit():
        return render_template("interchange/import.html", form=form), 400
    upload = form.file.data
    content = upload.read()
    try:
        source = read_upload(upload.filename, io.BytesIO(content))
    except UnreadableFile as error:
        add_errors(form.file, [str(error)])
        return render_template("interchange/import.html", form=form), 400
    report = import_source(source, dry_run=True)
    if report.ok and report.changed:
        uploads.keep(upload.filename, content)
    else:
        uploads.discard()
    return _render_report(report, upload.filename, status=200 if report.ok else 422)


def _render_report(report, filename, status=200):
    return render_template(
        "interchange/report.html", report=report, filename=filename,
        confirm_form=ConfirmImportForm(), shown_problems=SHOWN_PROBLEMS,
        shown_changes=SHOWN_CHANGES, titles=TITLES,
    ), status


@blueprint.post("/import/confirm")
@roles_required(*STAFF)
def confirm_import():
    """Import the file this session checked a moment ago, then show the dashboard."""
    form = ConfirmImportForm()
    checked = uploads.take() if form.validate_on_submit() else None
    if checked is None:
        flash(_("There is no checked file waiting to be imported. Upload it again."), "warning")
        return redirect(url_for("interchange.show_import"))
    source = read_upload(checked.filename, io.BytesIO(checked.content))
    report = import_source(source, actor=_me())
    if not report.ok:
        return _render_report(report, checked.filename, status=422)
    created = sum(counts["created"] for counts in report.counts.values())
    updated = sum(counts["updated"] for counts in report.counts.values())
    flash(_("Imported %(filename)s: %(created)s records created, %(updated)s "
             "updated.",
            filename=checked.filename, created=created, updated=updated),
          "success")
    if "dashboard.show_dashboard" in current_app.view_functions:
        return redirect(url_for("dashboard.show_dashboard"))
    return redirect(url_for("interchange.show_import"))


@blueprint.get("/import/template.xlsx")
@roles_required(*STAFF)
def download_template():
    """Download the empty workbook to fill in."""
    buffer = io.BytesIO()
    write_template(buffer, attestation_type_codes())
    buffer.seek(0)
    response = send_file(buffer, mimetype=XLSX, as_attachment=True,
                         download_name="dpa-registry-import.xlsx", max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@blueprint.get("/export")
@roles_required(*READERS)
def export_registry():
    """Download the whole registry as one dpa-registry/1 JSON file (auditors too: it only reads).

    It holds what every reader sees on the registry's pages, and no users, sessions or secrets.
    """
    document = export_document()
    with write_transaction():
        audit.record("registry.export", subject=("registry", "export"),
                     summary="Exported the whole registry as JSON",
                     details={"counts": {name: len(document[name]) for name in document
                                         if name != "format"}})
    body = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    filename = f"dpa-registry-{local_today().isoformat()}.json"
    return Response(body, mimetype="application/json", headers={
        "Content-Disposition": f'attachment; filename="{filename}"',
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
    })
