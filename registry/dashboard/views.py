"""The dashboard page."""

from flask import render_template, request
from flask_login import current_user

from registry.alerts.queries import failed_alert_count, stale_alerts_notice
from registry.auth.access import READERS, roles_required
from registry.checks import current_snapshot
from registry.clock import local_now
from registry.dashboard import blueprint, queries, timeline
from registry.dashboard.green import green_rows
from registry.dashboard.summary import summarise
from registry.incidents.queries import pending_notices
from registry.listing import paginate
from registry.mail.outbox import failed_count as failed_mail_count
from registry.requests.queries import pending_assistance_requests, pending_subject_requests
from registry.return_or_deletion import queries as return_or_deletion_queries


@blueprint.get("/dashboard")
@roles_required(*READERS)
def show_dashboard():
    """Show the counts by area, the findings red first, and the 12-month lapse timeline."""
    filters = queries.DashboardFilters.from_args(request.args)
    snapshot = current_snapshot()
    summary = summarise(snapshot, filters)
    listed = (green_rows(snapshot, summary.green, filters.area) if filters.lists_green
              else summary.findings)
    shown, page, pages = paginate(listed, filters.page, queries.FINDINGS_PER_PAGE)
    return render_template(
        "dashboard/show.html", filters=filters, today=snapshot.assessment.today,
        summary=summary, findings=shown, listed_total=len(listed), page=page, pages=pages,
        area_label=queries.AREA_LABELS.get(filters.area, ""), kinds=timeline.KINDS,
        has_registry=bool(snapshot.facts.controllers),
        failed_alerts=failed_alert_count() if current_user.role == "admin" else 0,
        failed_mail=failed_mail_count() if current_user.role == "admin" else 0,
        pending_notices=pending_notices(snapshot, local_now()),
        pending_requests=[*pending_subject_requests(snapshot, local_now()),
                          *pending_assistance_requests(snapshot)],
        returns_due=return_or_deletion_queries.open_items(snapshot),
        names=return_or_deletion_queries.names_of(snapshot),
        **stale_alerts_notice(current_user),
    )
