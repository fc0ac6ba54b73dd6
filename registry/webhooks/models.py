"""The webhook tables: endpoints, their delivery outbox, and the findings last announced.

The engine reads none of them: no revision triggers (registry.revision).
"""

from peewee import (
    BlobField,
    BooleanField,
    CharField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from registry.models import BaseModel, JSONListField, TableModel, User, one_of, utcnow

DELIVERY_STATUSES = ("queued", "delivered", "failed")


class WebhookEndpoint(BaseModel):
    """A receiver an admin registered: its URL, the events it wants, its sealed secret."""

    url = CharField(max_length=2000)
    description = CharField(max_length=200, default="")
    events = JSONListField(default=list)
    secret = BlobField()  # sealed (registry.webhooks.signing.seal): a dump does not reveal it
    secret_rotated_at = DateTimeField(default=utcnow)
    # After a rotation with overlap, the replaced secret (sealed) and until when deliveries are
    # also signed with it, so the receiver can switch without refusing a delivery.
    previous_secret = BlobField(null=True)
    previous_secret_until = DateTimeField(null=True)
    is_enabled = BooleanField(default=True)
    created_by = ForeignKeyField(User, null=True, on_delete="SET NULL")


class WebhookDelivery(BaseModel):
    """One event for one endpoint: queued with the change it tells about, then its log entry.

    `body` is the exact JSON sent on every attempt (the signature covers it); `event_id` is
    the same on every attempt, so a receiver can drop a repeat.
    """

    endpoint = ForeignKeyField(WebhookEndpoint, backref="deliveries", on_delete="CASCADE")
    event_id = CharField(max_length=36, index=True)
    event_type = CharField(max_length=40)
    body = TextField()
    status = CharField(max_length=9, default="queued",
                       constraints=[one_of("status", DELIVERY_STATUSES)])
    attempts = IntegerField(default=0)
    next_attempt_at = DateTimeField()
    claim_token = CharField(max_length=32, null=True)
    claimed_at = DateTimeField(null=True)
    last_attempt_at = DateTimeField(null=True)
    response_code = IntegerField(null=True)
    last_error = TextField(default="")
    delivered_at = DateTimeField(null=True)

    class Meta:
        table_name = "webhook_delivery"
        indexes = ((("status", "next_attempt_at"), False),
                   (("endpoint", "created_at"), False))


class AnnouncedFinding(TableModel):
    """A finding that `finding.raised` announced and `finding.cleared` has not yet cleared."""

    key = CharField(max_length=255, unique=True)
    finding = TextField()  # the finding as JSON, for the `finding.cleared` event
    raised_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "webhook_announced_finding"


class FindingWatch(TableModel):
    """One row once the findings were first recorded: before it, nothing is announced (the
    first pass would otherwise raise every existing finding at once)."""

    started_at = DateTimeField(default=utcnow)
    checked_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "webhook_finding_watch"


MODELS = (WebhookEndpoint, WebhookDelivery, AnnouncedFinding, FindingWatch)
