"""Pending uploads (issue 18): a checked PDF kept server-side, bound to its user, while a form
that failed on another field is corrected. The engine does not read the table: no revision
triggers.
"""
from peewee import *


def up(migrator, db):
    class User(Model):
        class Meta:
            database = db
            table_name = 'user'

    class PendingUpload(Model):
        token = CharField(max_length=64, unique=True)
        owner = ForeignKeyField(User, on_delete='CASCADE')
        filename = CharField(max_length=200)
        content = BlobField()
        size = IntegerField()
        page_count = IntegerField()
        sha256 = CharField(max_length=64)
        kept_at = DateTimeField(index=True)
        class Meta:
            database = db
            table_name = 'pending_upload'

    db.create_tables([PendingUpload])


def down(migrator, db):
    db.execute_sql('DROP TABLE pending_upload')
