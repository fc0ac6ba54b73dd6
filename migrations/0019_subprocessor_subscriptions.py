"""E-mail subscriptions to the public sub-processor page (issue 19, optional part): double
opt-in, one-click unsubscribe. The engine does not read the table: no revision triggers.
"""
from peewee import *


def up(migrator, db):
    class SubprocessorSubscription(Model):
        email = CharField(max_length=254, index=True)
        confirm_token_hash = CharField(max_length=64, unique=True, null=True)
        requested_at = DateTimeField()
        confirmed_at = DateTimeField(null=True)
        unsubscribed_at = DateTimeField(null=True)
        last_sent_on = DateField(null=True)
        class Meta:
            database = db
            table_name = 'subprocessor_subscription'

    db.create_tables([SubprocessorSubscription])


def down(migrator, db):
    db.execute_sql('DROP TABLE subprocessor_subscription')
