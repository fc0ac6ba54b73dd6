"""Writes about webhook endpoints, each in one transaction with its audit event.

The secret is returned once, by `create_endpoint` and `rotate_secret`, for the page to show;
only its sealed form is stored and it is never logged or audited.
"""

from datetime import timedelta

from registry import audit
from registry.db import write_transaction
from registry.editing import lock
from registry.models import User, utcnow
from registry.webhooks import addresses, events, signing
from registry.webhooks.models import WebhookEndpoint

# How long a rotated secret still signs deliveries beside the new one.
SECRET_OVERLAP = timedelta(hours=24)


def _event_list(chosen):
    unknown = set(chosen) - set(events.EVENT_TYPES)
    if unknown:
        raise ValueError(f"unknown webhook events: {', '.join(sorted(unknown))}")
    return [name for name in events.EVENT_TYPES if name in chosen]


def create_endpoint(url, description, chosen_events, actor):
    """Register an endpoint (the URL checked: UnsafeDestination); return (endpoint, secret).

    `actor` is the admin (a User) or a label such as "cli", as for `audit.record`.
    """
    addresses.check(url)
    secret = signing.new_secret()
    with write_transaction():
        endpoint = WebhookEndpoint.create(url=url, description=description.strip(),
                                          events=_event_list(chosen_events),
                                          secret=signing.seal(secret),
                                          created_by=actor if isinstance(actor, User) else None)
        audit.record("webhook.endpoint_created", endpoint, f"Webhook endpoint {url} registered",
                     {"url": url, "events": endpoint.events}, actor=actor)
    return endpoint, secret


def update_endpoint(endpoint, url, description, chosen_events, actor):
    """Change an endpoint's URL (checked again), description and events; audited."""
    if url != endpoint.url:
        addresses.check(url)
    before = {"url": endpoint.url, "description": endpoint.description,
              "events": endpoint.events}
    after = {"url": url, "description": description.strip(),
             "events": _event_list(chosen_events)}
    if before == after:
        return False
    with write_transaction():
        WebhookEndpoint.update(**after).where(WebhookEndpoint.id == endpoint.id).execute()
        audit.record("webhook.endpoint_updated", endpoint, f"Webhook endpoint {url} changed",
                     {"before": before, "after": after}, actor=actor)
    return True


def set_enabled(endpoint, enabled, actor):
    """Enable or disable an endpoint (a disabled one gets no new events; queued ones wait)."""
    with write_transaction():
        changed = WebhookEndpoint.update(is_enabled=enabled).where(
            (WebhookEndpoint.id == endpoint.id) & (WebhookEndpoint.is_enabled != enabled)
        ).execute()
        if changed:
            state = "enabled" if enabled else "disabled"
            audit.record(f"webhook.endpoint_{state}", endpoint,
                         f"Webhook endpoint {endpoint.url} {state}", {"url": endpoint.url},
                         actor=actor)
    return bool(changed)


def delete_endpoint(endpoint, actor):
    """Delete an endpoint and its delivery log; audited."""
    with write_transaction():
        audit.record("webhook.endpoint_deleted", endpoint,
                     f"Webhook endpoint {endpoint.url} deleted with its delivery log",
                     {"url": endpoint.url, "events": endpoint.events}, actor=actor)
        endpoint.delete_instance()


def rotate_secret(endpoint, actor, overlap=True):
    """Give an endpoint a new secret; return it (shown once).

    With `overlap`, deliveries are signed under the old secret too for SECRET_OVERLAP, so the
    receiver can be updated without refusing any; without it (the old secret leaked) the old
    one stops at once, and so does an earlier rotation's overlap.
    """
    secret, now = signing.new_secret(), utcnow()
    until = now + SECRET_OVERLAP if overlap else None
    with write_transaction():
        current = lock(WebhookEndpoint, endpoint.id)
        WebhookEndpoint.update(
            secret=signing.seal(secret), secret_rotated_at=now,
            previous_secret=current.secret if overlap else None, previous_secret_until=until,
        ).where(WebhookEndpoint.id == endpoint.id).execute()
        summary = (f"New signing secret for webhook endpoint {endpoint.url}; the old one is "
                   f"accepted until {until:%Y-%m-%d %H:%M} UTC" if overlap else
                   f"New signing secret for webhook endpoint {endpoint.url}; the old one "
                   "stopped at once")
        audit.record("webhook.secret_rotated", endpoint, summary,
                     {"url": endpoint.url,
                      "overlap_until": until.isoformat() if until else None}, actor=actor)
    return secret


def send_test_event(endpoint, actor):
    """Queue a `webhook.test` event for this endpoint only; return its event id."""
    with write_transaction():
        event_id = events.enqueue(events.TEST_EVENT, {
            "message": "A test event sent from the webhook page.",
            "endpoint_id": endpoint.id}, endpoints=[endpoint])
        audit.record("webhook.test_sent", endpoint,
                     f"Test event queued for webhook endpoint {endpoint.url}",
                     {"url": endpoint.url, "event_id": event_id}, actor=actor)
    return event_id
