"""Pending imports in the database: a web import checked on one host can be confirmed on another.

Before this, the checked file waited in the instance folder of the host that checked it.
"""
from peewee import *


def up(migrator, db):
    class UserSession(Model):
        class Meta:
            database = db
            table_name = 'user_session'

    class PendingImport(Model):
        session = ForeignKeyField(UserSession, unique=True, on_delete='CASCADE')
        filename = CharField(max_length=200)
        content = BlobField()
        checked_at = DateTimeField(index=True)
        class Meta:
            database = db
            table_name = 'pending_import'

    db.create_tables([PendingImport])


def down(migrator, db):
    db.execute_sql('DROP TABLE pending_import')
