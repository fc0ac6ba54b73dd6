"""Named reads of the webhook pages: endpoints with their counts, a delivery log page."""

from peewee import JOIN, Case, fn

from registry.webhooks.models import DELIVERY_STATUSES, WebhookDelivery, WebhookEndpoint

PER_PAGE = 25


def endpoints_with_counts():
    """Return every endpoint with `queued_count` and `failed_count`, oldest first."""
    def counted(status):
        return fn.COALESCE(fn.SUM(Case(None, [(WebhookDelivery.status == status, 1)], 0)), 0)

    return list(
        WebhookEndpoint
        .select(WebhookEndpoint, counted("queued").alias("queued_count"),
                counted("failed").alias("failed_count"))
        .join(WebhookDelivery, JOIN.LEFT_OUTER)
        .group_by(WebhookEndpoint.id)
        .order_by(WebhookEndpoint.id)
    )


def delivery_page(endpoint, status=None, page=1, per_page=PER_PAGE):
    """Return (deliveries newest first, total, page shown, page count) of one endpoint."""
    query = WebhookDelivery.select(*[field for field in WebhookDelivery._meta.sorted_fields
                                     if field is not WebhookDelivery.body]).where(
        WebhookDelivery.endpoint == endpoint)
    if status in DELIVERY_STATUSES:
        query = query.where(WebhookDelivery.status == status)
    total = query.count()
    pages = max((total + per_page - 1) // per_page, 1)
    page = min(max(page, 1), pages)
    rows = query.order_by(WebhookDelivery.created_at.desc(), WebhookDelivery.id.desc())
    return list(rows.paginate(page, per_page)), total, page, pages
