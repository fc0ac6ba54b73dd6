"""The Alerts page: every alert with its status, time, recipients and subject."""

import json

from flask import render_template, request
from flask_login import current_user

from registry.alerts import blueprint, queries
from registry.alerts.planner import SUMMARY_KIND
from registry.auth.access import READERS, roles_required
from registry.formatting import local_instant
from registry.models import Subcontractor

PAGE_SIZE = 50


def _subcontractor_names(alerts):
    ids = {int(alert.audience.partition(":")[2]) for alert in alerts
           if alert.audience.startswith("subcontractor:")}
    if not ids:
        return {}
    query = Subcontractor.select(Subcontractor.id, Subcontractor.name).where(
        Subcontractor.id.in_(ids))
    return {row.id: row.name for row in query}


def _row(alert, names):
    details = json.loads(alert.details or "{}")
    if alert.audience.startswith("subcontractor:"):
        audience = names.get(int(alert.audience.partition(":")[2]), "A subcontractor")
    else:
        audience = "Legal staff"
    about = details.get("message") or f"{len(details.get('items', []))} expired items"
    return {"alert": alert, "audience": audience, "about": about, "kind_label": _kind(alert)}


def _kind(alert):
    if alert.kind == SUMMARY_KIND:
        return "Weekly summary"
    if alert.threshold is None:
        return "New finding"
    if alert.threshold != 0:
        return f"{alert.threshold} days before"
    # The 0-day alert of an item that had lapsed before the run noticed it is a catch-up.
    noticed_on = local_instant(alert.created_at).date()
    return "Lapsed" if alert.due_on and alert.due_on < noticed_on else "Lapses today"


@blueprint.get("/")
@roles_required(*READERS)
def list_alerts():
    """List sent, pending and failed alerts, newest first, optionally of one status."""
    status = request.args.get("status")
    status = status if status in queries.STATUSES else None
    alerts, total, page, pages = queries.alert_page(
        status, request.args.get("page", 1, type=int) or 1, PAGE_SIZE)
    names = _subcontractor_names(alerts)
    return render_template("alerts/list.html", rows=[_row(alert, names) for alert in alerts],
                           status=status, counts=queries.status_counts(), total=total,
                           page=page, pages=pages, **queries.stale_alerts_notice(current_user))


