"""The mail outbox: e-mails queued in the transaction of the change they tell about.

Web requests no longer talk to the mail server; the worker (or a thread of `dpa-registry
serve`) delivers these rows. The compliance engine does not read them: no revision triggers.
"""
from peewee import *


def up(migrator, db):
    class MailMessage(Model):
        created_at = DateTimeField()
        updated_at = DateTimeField()
        message_id = CharField(max_length=250, index=True)
        purpose = CharField(max_length=60)
        recipients = TextField(default='[]')
        content = BlobField()
        status = CharField(max_length=6, default='queued', constraints=[Check("status IN ('queued', 'sent', 'failed')")])
        attempts = IntegerField(default=0)
        next_attempt_at = DateTimeField()
        claim_token = CharField(max_length=32, null=True)
        claimed_at = DateTimeField(null=True)
        last_error = TextField(default='')
        sent_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'mail_outbox'
            indexes = ((('status', 'next_attempt_at'), False),)

    db.create_tables([MailMessage])


def down(migrator, db):
    db.execute_sql('DROP TABLE mail_outbox')
