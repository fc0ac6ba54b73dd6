"""The dashboard page."""

from flask import render_template, request
from flask_login import current_user

from registry.alerts.queries import failed_alert_count
from registry.auth.access import READERS, roles_required
from registry.checks import current_snapshot
from registry.controllers.queries import paginate
from registry.dashboard import blueprint, queries, timeline


@blueprint.get("/dashboard")
@roles_required(*READERS)
def show_dashboard():
    """Show the counts by area, the findings red first, and the 12-month lapse timeline."""
    filters = queries.DashboardFilters.from_args(request.args)
    snapshot = current_snapshot()
    scope = queries.Scope.of(filters, snapshot)
    in_scope = queries.findings_in_scope(snapshot, scope)
    listed = [finding for finding in in_scope
              if not filters.severity or finding.severity.value == filters.severity]
    shown, page, pages = paginate(listed, filters.page, queries.FINDINGS_PER_PAGE)
    lapses = timeline.lapses(snapshot, scope)
    months = timeline.by_month(snapshot.assessment.today, lapses)
    return render_template(
        "dashboard/show.html", filters=filters, today=snapshot.assessment.today,
        counts=queries.area_counts(snapshot, scope, in_scope), findings=shown,
        finding_total=len(listed), page=page, pages=pages, months=months,
        chart=timeline.chart(months), kinds=timeline.KINDS, upcoming=lapses[:10],
        lapse_total=len(lapses), has_registry=bool(snapshot.facts.controllers),
        failed_alerts=failed_alert_count() if current_user.role == "admin" else 0,
    )
