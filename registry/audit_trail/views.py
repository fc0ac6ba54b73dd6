"""The audit trail page."""

from flask import render_template, request
from wtforms.fields.choices import SelectChoice

from registry.audit_trail import blueprint, queries
from registry.audit_trail.forms import AuditFilterForm
from registry.auth.access import READERS, roles_required
from registry.models import AuditEvent

ANY = SelectChoice("", "Any")


@blueprint.get("/audit")
@roles_required(*READERS)
def list_events():
    """List recorded changes, newest first, filterable by action, object, actor and dates."""
    form = AuditFilterForm(request.args)
    form.action.choices = [ANY] + [SelectChoice(a, a) for a in queries.choices(AuditEvent.action)]
    form.object_type.choices = [ANY] + [
        SelectChoice(t, t) for t in queries.choices(AuditEvent.object_type)]
    form.validate()
    query = queries.filtered_events(**form.filters())
    total = query.count()
    pages = max((total + queries.PAGE_SIZE - 1) // queries.PAGE_SIZE, 1)
    page = min(max(request.args.get("page", 1, type=int) or 1, 1), pages)
    events = [(event, *queries.event_changes(event))
              for event in query.paginate(page, queries.PAGE_SIZE)]
    return render_template("audit_trail/list.html", form=form, events=events, total=total,
                           page=page, pages=pages), 400 if form.errors else 200
