"""Delivering webhooks: claim due deliveries, POST each signed, record the outcome.

As the mail outbox (registry.mail.delivery): a pass claims up to BATCH due rows with its token
(PostgreSQL `FOR UPDATE SKIP LOCKED`; SQLite's single writer makes the UPDATE atomic), a
claim older than LEASE belongs to a pass that died. Each attempt resolves and checks the
receiver's address again (registry.webhooks.addresses) and connects to that very address;
redirects are not followed; any answer but 2xx is retried after a doubling pause until
MAX_ATTEMPTS or GIVE_UP_AFTER, then given up (audited). Never called inside a request.
"""

import http.client
import logging
import secrets
import socket
import ssl
import time
from dataclasses import dataclass
from datetime import timedelta

from registry import audit
from registry.db import is_sqlite, write_transaction
from registry.models import utcnow
from registry.webhooks import addresses, signing
from registry.webhooks.models import WebhookDelivery, WebhookEndpoint

log = logging.getLogger(__name__)
BATCH = 20
LEASE = timedelta(minutes=5)
TIMEOUT_SECONDS = 5
FIRST_RETRY = timedelta(minutes=1)
LONGEST_RETRY = timedelta(hours=6)
GIVE_UP_AFTER = timedelta(days=3)
MAX_ATTEMPTS = 15
USER_AGENT = "dpa-registry-webhooks/1"
RESPONSE_EXCERPT = 300


class DeliveryFailed(Exception):
    """An attempt that did not end with a 2xx answer; `response_code` when one came."""

    def __init__(self, reason, response_code=None):
        super().__init__(reason)
        self.response_code = response_code


@dataclass
class DeliveryReport:
    """What one pass did, in numbers of deliveries."""

    delivered: int = 0
    retried: int = 0
    failed: int = 0


def retry_delay(attempts):
    """Return the wait after `attempts` failed attempts: 1 min, doubling, at most 6 hours."""
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_RETRY)


def claim(limit=BATCH):
    """Claim up to `limit` due deliveries of enabled endpoints; return (token, rows)."""
    token, now = secrets.token_hex(16), utcnow()
    enabled = WebhookEndpoint.select(WebhookEndpoint.id).where(WebhookEndpoint.is_enabled)
    due = (WebhookDelivery
           .select(WebhookDelivery.id)
           .where((WebhookDelivery.status == "queued")
                  & (WebhookDelivery.next_attempt_at <= now)
                  & WebhookDelivery.endpoint.in_(enabled)
                  & (WebhookDelivery.claimed_at.is_null()
                     | (WebhookDelivery.claimed_at < now - LEASE)))
           .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id)
           .limit(limit))
    if not is_sqlite():
        due = due.for_update(skip_locked=True)
    with write_transaction():
        WebhookDelivery.update(claim_token=token, claimed_at=now).where(
            WebhookDelivery.id.in_(due)).execute()
    rows = (WebhookDelivery.select(WebhookDelivery, WebhookEndpoint)
            .join(WebhookEndpoint)
            .where(WebhookDelivery.claim_token == token)
            .order_by(WebhookDelivery.id))
    return token, list(rows)


def _mine(row, token):
    return (WebhookDelivery.id == row.id) & (WebhookDelivery.claim_token == token)


def _pinned_connection(destination):
    """Return an HTTP(S) connection to the checked address, with the URL's name for TLS."""
    if destination.scheme == "https":
        connection = http.client.HTTPSConnection(
            destination.host, destination.port, timeout=TIMEOUT_SECONDS,
            context=ssl.create_default_context())
    else:
        connection = http.client.HTTPConnection(destination.host, destination.port,
                                                timeout=TIMEOUT_SECONDS)

    def connect_to_checked_address(_address, timeout, source_address=None):
        error = None
        for address in destination.addresses:
            try:
                return socket.create_connection((address, destination.port), timeout,
                                                source_address)
            except OSError as failure:
                error = failure
        raise error

    connection._create_connection = connect_to_checked_address
    return connection


def post(url, secrets, event_id, event_type, body):
    """POST `body` signed under each of `secrets` to `url`; return the answer's status, raise
    DeliveryFailed else."""
    try:
        destination = addresses.check(url)
    except addresses.UnsafeDestination as error:
        raise DeliveryFailed(f"refused: {error}") from None
    data = body.encode()
    headers = {
        "Content-Type": "application/json", "User-Agent": USER_AGENT,
        "X-Registry-Event": event_type, "X-Registry-Event-Id": event_id,
        signing.SIGNATURE_HEADER: signing.signature_header(secrets, time.time(), data),
    }
    connection = _pinned_connection(destination)
    try:
        connection.request("POST", destination.path, body=data, headers=headers)
        response = connection.getresponse()
        excerpt = response.read(RESPONSE_EXCERPT).decode("utf-8", "replace")
    except (OSError, http.client.HTTPException) as error:
        raise DeliveryFailed(f"{type(error).__name__}: {error}"[:500]) from None
    finally:
        connection.close()
    if not 200 <= response.status < 300:
        raise DeliveryFailed(f"answered {response.status} {response.reason}: {excerpt}".strip(),
                             response.status)
    return response.status


def _record_delivered(row, token, status):
    with write_transaction():
        now = utcnow()
        WebhookDelivery.update(
            status="delivered", delivered_at=now, last_attempt_at=now, response_code=status,
            last_error="", attempts=WebhookDelivery.attempts + 1, claim_token=None,
            claimed_at=None).where(_mine(row, token)).execute()


def _record_failure(row, token, error):
    """Queue `row` again after its backoff, or give it up; return True when it will retry."""
    attempts, now = row.attempts + 1, utcnow()
    gives_up = attempts >= MAX_ATTEMPTS or now - row.created_at >= GIVE_UP_AFTER
    values = {"attempts": attempts, "last_attempt_at": now, "last_error": str(error)[:2000],
              "response_code": error.response_code, "claim_token": None, "claimed_at": None}
    if gives_up:
        values["status"] = "failed"
    else:
        values["next_attempt_at"] = now + retry_delay(attempts)
    with write_transaction():
        changed = WebhookDelivery.update(**values).where(_mine(row, token)).execute()
        if changed and gives_up:
            audit.record("webhook.delivery_failed", row.endpoint,
                         f"Gave up the {row.event_type} event for {row.endpoint.url} after "
                         f"{attempts} attempts: {str(error)[:300]}",
                         {"event_id": row.event_id, "delivery_id": row.id}, actor="system")
    return not gives_up


def signing_secrets(endpoint, now):
    """Return the secrets a delivery is signed under: the current one, and the one it replaced
    while that is still within its overlap."""
    secrets = [signing.unseal(endpoint.secret)]
    if endpoint.previous_secret is not None and endpoint.previous_secret_until > now:
        secrets.append(signing.unseal(endpoint.previous_secret))
    return secrets


def deliver_one(row, token, report):
    """Attempt one claimed delivery and record what happened."""
    try:
        secrets = signing_secrets(row.endpoint, utcnow())
        status = post(row.endpoint.url, secrets, row.event_id, row.event_type, row.body)
    except signing.SecretUnreadable as error:
        status, failure = None, DeliveryFailed(str(error))
    except DeliveryFailed as error:
        status, failure = None, error
    if status is not None:
        _record_delivered(row, token, status)
        report.delivered += 1
        return
    log.warning("webhook %s to endpoint %s failed: %s", row.event_id, row.endpoint_id, failure)
    if _record_failure(row, token, failure):
        report.retried += 1
    else:
        report.failed += 1


def release(rows, token):
    """Give claimed rows back untried, for the next pass to take at once."""
    if rows:
        with write_transaction():
            WebhookDelivery.update(claim_token=None, claimed_at=None).where(
                WebhookDelivery.id.in_([row.id for row in rows])
                & (WebhookDelivery.claim_token == token)).execute()


def deliver_due(should_stop=lambda: False):
    """Deliver every due delivery, batch by batch; `should_stop` is asked before each."""
    report = DeliveryReport()
    token, rows = claim()
    while rows:
        for position, row in enumerate(rows):
            if should_stop():
                release(rows[position:], token)
                return report
            deliver_one(row, token, report)
        token, rows = claim()
    return report
