"""Read-only exports: the filtered audit trail (CSV, JSON) and the page listing every export."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from registry import audit
from registry.audit_trail import blueprint, queries
from registry.audit_trail.export import TooManyEvents, audit_csv, audit_json, exported_records
from registry.audit_trail.forms import AuditFilterForm
from registry.auth.access import READERS, roles_required
from registry.clock import local_today
from registry.db import write_transaction
from registry.exports import attachment
from registry.models import utcnow

# Legal staff read the trail on screen; taking the whole log away is for auditors and admins.
EXPORTERS = ("admin", "auditor")


@blueprint.get("/audit/export.csv", defaults={"kind": "csv"})
@blueprint.get("/audit/export.json", defaults={"kind": "json"})
@roles_required(*EXPORTERS)
def export_events(kind):
    """Download the events the audit trail's filters select, oldest first."""
    form = AuditFilterForm(request.args)
    if not form.validate():
        flash(_("Correct the filters before exporting: %(problems)s", problems=" ".join(
            str(error) for errors in form.errors.values() for error in errors)), "error")
        return redirect(url_for("audit_trail.list_events", **form.as_args()))
    filters = form.filters()
    try:
        records = exported_records(queries.filtered_events(**filters))
    except TooManyEvents as error:
        flash(str(error), "error")
        return redirect(url_for("audit_trail.list_events", **form.as_args()))
    with write_transaction():
        audit.record("audit_trail.export", ("audit_trail", kind),
                     f"Exported {len(records)} audit events as {kind.upper()}",
                     {"filters": form.as_args(), "events": len(records)})
    body = (audit_csv(records) if kind == "csv"
            else audit_json(records, filters, utcnow()))
    return attachment(body, f"audit-trail-{local_today().isoformat()}.{kind}", kind)


@blueprint.get("/exports")
@roles_required(*READERS)
def list_copies():
    """List the read-only copies (exports) the signed-in reader may download."""
    return render_template("audit_trail/exports.html")
