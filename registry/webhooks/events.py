"""Webhook events: their names, and queuing them in the transaction of the change.

Every operation already records an audit event in its own transaction (registry.audit); the
audit actions below are the webhook events, so `enqueue_from_audit` (called by `record`) puts
one delivery per subscribed endpoint into the outbox in that same transaction: a change that
rolls back announces nothing, and a committed one is always announced. `finding.raised` and
`finding.cleared` come from registry.webhooks.findings.
"""

import json
import logging
import uuid

from flask_babel import lazy_gettext as _l

from registry.background import Wakeup
from registry.models import utcnow
from registry.webhooks.models import WebhookDelivery, WebhookEndpoint

log = logging.getLogger(__name__)
DELIVERER = "webhook_deliverer"  # app.extensions key of this process's delivery thread
TEST_EVENT = "webhook.test"

EVENT_TYPES = {
    "finding.raised": _l("A finding is raised"),
    "finding.cleared": _l("A finding is cleared"),
    "attestation.uploaded": _l("An attestation is uploaded"),
    "attestation.accepted": _l("An attestation is accepted"),
    "attestation.rejected": _l("An attestation is rejected"),
    "engagement.proposed": _l("A subcontractor engagement is proposed"),
    "engagement.authorised": _l("An engagement is authorised by the controller"),
    "engagement.objected": _l("A controller objects to an engagement"),
    "dpa.signed": _l("A DPA is signed"),
    "dpa.ended": _l("A DPA is terminated"),
    "alert.sent": _l("An alert e-mail is sent"),
}

# Audit action -> webhook event.
AUDIT_ACTIONS = {
    "attestation.uploaded": "attestation.uploaded",
    "attestation.accepted": "attestation.accepted",
    "attestation.rejected": "attestation.rejected",
    "engagement.created": "engagement.proposed",
    "engagement.approved": "engagement.authorised",
    "engagement.objected": "engagement.objected",
    "dpa.signed": "dpa.signed",
    "dpa.terminated": "dpa.ended",
    "alert.sent": "alert.sent",
}


def _iso(instant):
    return instant.replace(microsecond=0).isoformat() + "Z"


def body(event_id, event_type, data, occurred_at=None):
    """Return the JSON body of an event: id, type, when, and its data."""
    return json.dumps({"id": event_id, "type": event_type,
                       "occurred_at": _iso(occurred_at or utcnow()), "data": data},
                      ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def subscribers(event_type):
    """Return the enabled endpoints that asked for `event_type`."""
    return [endpoint for endpoint in WebhookEndpoint.select().where(WebhookEndpoint.is_enabled)
            if event_type in endpoint.events]


def enqueue(event_type, data, endpoints=None, occurred_at=None):
    """Queue `event_type` with `data` for its subscribers (or `endpoints`) in the current
    transaction; return the event id (None when no endpoint wants it)."""
    endpoints = subscribers(event_type) if endpoints is None else endpoints
    if not endpoints:
        return None
    event_id = str(uuid.uuid4())
    text = body(event_id, event_type, data, occurred_at)
    now = utcnow()
    WebhookDelivery.insert_many([
        {"endpoint": endpoint.id, "event_id": event_id, "event_type": event_type, "body": text,
         "next_attempt_at": now, "created_at": now, "updated_at": now}
        for endpoint in endpoints
    ]).execute()
    _wakeup.after_commit()
    return event_id


def enqueue_from_audit(audit_event):
    """Queue the webhook event an audit event stands for, if any (registry.audit.record)."""
    event_type = AUDIT_ACTIONS.get(audit_event.action)
    if event_type is None:
        return None
    data = {"object_type": audit_event.object_type, "object_id": audit_event.object_id,
            "summary": audit_event.summary, "actor": audit_event.actor_label,
            "audit_event_id": audit_event.id,
            "details": json.loads(audit_event.details or "{}")}
    return enqueue(event_type, data, occurred_at=audit_event.occurred_at)


def _ask_worker():
    from registry import tasks

    tasks.kick_webhook_delivery()


_wakeup = Wakeup("webhooks", DELIVERER, "WEBHOOK_DELIVERY", _ask_worker)
kick = _wakeup.now  # have queued deliveries sent soon
init_app = _wakeup.init_app  # kick at the end of every request that queued an event
