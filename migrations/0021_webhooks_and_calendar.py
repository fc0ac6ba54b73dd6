"""Signed webhooks and personal calendar feeds (issue 20, parts 3 and 4).

webhook_endpoint holds the receivers (secret sealed), webhook_delivery is the outbox and log
of their deliveries, webhook_announced_finding and webhook_finding_watch remember which
findings were announced; calendar_feed holds each user's feed link as a token hash. The engine
reads none of them: no revision triggers.
"""
from peewee import *


def up(migrator, db):
    class User(Model):
        class Meta:
            database = db
            table_name = 'user'

    class WebhookEndpoint(Model):
        created_at = DateTimeField()
        updated_at = DateTimeField()
        url = CharField(max_length=2000)
        description = CharField(max_length=200, default='')
        events = TextField(default='[]')
        secret = BlobField()
        secret_rotated_at = DateTimeField()
        is_enabled = BooleanField(default=True)
        created_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        class Meta:
            database = db
            table_name = 'webhook_endpoint'

    class WebhookDelivery(Model):
        created_at = DateTimeField()
        updated_at = DateTimeField()
        endpoint = ForeignKeyField(WebhookEndpoint, on_delete='CASCADE')
        event_id = CharField(max_length=36, index=True)
        event_type = CharField(max_length=40)
        body = TextField()
        status = CharField(max_length=9, default='queued', constraints=[Check("status IN ('queued', 'delivered', 'failed')")])
        attempts = IntegerField(default=0)
        next_attempt_at = DateTimeField()
        claim_token = CharField(max_length=32, null=True)
        claimed_at = DateTimeField(null=True)
        last_attempt_at = DateTimeField(null=True)
        response_code = IntegerField(null=True)
        last_error = TextField(default='')
        delivered_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'webhook_delivery'
            indexes = ((('status', 'next_attempt_at'), False), (('endpoint', 'created_at'), False))

    class AnnouncedFinding(Model):
        key = CharField(max_length=255, unique=True)
        finding = TextField()
        raised_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'webhook_announced_finding'

    class FindingWatch(Model):
        started_at = DateTimeField()
        checked_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'webhook_finding_watch'

    class CalendarFeed(Model):
        user = ForeignKeyField(User, on_delete='CASCADE')
        token_hash = CharField(max_length=64, unique=True)
        created_at = DateTimeField()
        last_used_at = DateTimeField(null=True)
        revoked_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'calendar_feed'

    db.create_tables([WebhookEndpoint, WebhookDelivery, AnnouncedFinding, FindingWatch,
                      CalendarFeed])


def down(migrator, db):
    for table in ('calendar_feed', 'webhook_finding_watch', 'webhook_announced_finding',
                  'webhook_delivery', 'webhook_endpoint'):
        db.execute_sql(f'DROP TABLE {table}')
