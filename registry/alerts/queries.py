"""Named reads about alerts for the alerts page and the dashboard."""

from registry.alerts import runs
from registry.models import Alert

STATUSES = ("pending", "sent", "failed")


def failed_alert_count():
    """Return how many alerts failed for good (shown to admins on the dashboard)."""
    return Alert.select().where(Alert.status == "failed").count()


def alert_page(status=None, page=1, per_page=50):
    """Return (alerts newest first, total count, page shown, page count) for one page.

    A page past the end shows the last page, so any number in the address is safe.
    """
    query = Alert.select()
    if status in STATUSES:
        query = query.where(Alert.status == status)
    total = query.count()
    pages = max((total + per_page - 1) // per_page, 1)
    page = min(max(page, 1), pages)
    rows = query.order_by(Alert.updated_at.desc(), Alert.id.desc()).paginate(page, per_page)
    return list(rows), total, page, pages


def status_counts():
    """Return {status: number of alerts} for every status."""
    counts = dict.fromkeys(STATUSES, 0)
    for alert in Alert.select(Alert.status):
        counts[alert.status] += 1
    return counts


def stale_alerts_notice(user):
    """Return the template values of the warning, shown to admins, that the daily alerts
    stopped running."""
    if user.role != "admin" or not runs.is_stale():
        return {"alerts_stale": False, "last_alert_run": None}
    return {"alerts_stale": True, "last_alert_run": runs.last_run_at()}
