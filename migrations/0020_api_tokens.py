"""Personal API tokens (issue 20): hashed, scoped, expiring, revocable. The engine does not
read the table: no revision triggers.
"""
from peewee import *


def up(migrator, db):
    class User(Model):
        class Meta:
            database = db
            table_name = 'user'

    class ApiToken(Model):
        user = ForeignKeyField(User, backref='+', on_delete='RESTRICT')
        name = CharField(max_length=100)
        scope = CharField(max_length=5, constraints=[Check("scope IN ('read', 'write')")])
        prefix = CharField(max_length=16, unique=True)
        secret_hash = CharField(max_length=64)
        created_at = DateTimeField()
        expires_at = DateTimeField()
        last_used_at = DateTimeField(null=True)
        last_used_ip = CharField(max_length=64, default='')
        revoked_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'api_token'

    db.create_tables([ApiToken])


def down(migrator, db):
    db.execute_sql('DROP TABLE api_token')
