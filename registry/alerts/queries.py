"""Named reads about alerts for the alerts page and the dashboard."""

from registry.models import Alert

STATUSES = ("pending", "sent", "failed")


def failed_alert_count():
    """Return how many alerts failed for good (shown to admins on the dashboard)."""
    return Alert.select().where(Alert.status == "failed").count()


def alert_page(status=None, page=1, per_page=50):
    """Return (alerts newest first, total count) for one page, optionally of one status."""
    query = Alert.select()
    if status in STATUSES:
        query = query.where(Alert.status == status)
    total = query.count()
    rows = query.order_by(Alert.updated_at.desc(), Alert.id.desc()).paginate(page, per_page)
    return list(rows), total


def status_counts():
    """Return {status: number of alerts} for every status."""
    counts = dict.fromkeys(STATUSES, 0)
    for alert in Alert.select(Alert.status):
        counts[alert.status] += 1
    return counts
