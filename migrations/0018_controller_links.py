"""Controllers as participants (issue 19): each controller's capability link to its own page,
the addresses that opened it (hashed), and the single-use e-mailed confirmations of an
objection or an instruction made there.

The engine reads none of these tables (an objection confirmed here is written to the
engagement, whose own triggers bump the revision), so they get no revision triggers.
"""
from peewee import *


def up(migrator, db):
    class Controller(Model):
        class Meta:
            database = db
            table_name = 'controller'

    class User(Model):
        class Meta:
            database = db
            table_name = 'user'

    class Engagement(Model):
        class Meta:
            database = db
            table_name = 'engagement'

    class Instruction(Model):
        class Meta:
            database = db
            table_name = 'instruction'

    class ControllerLink(Model):
        controller = ForeignKeyField(Controller, on_delete='RESTRICT')
        token_hash = CharField(unique=True, max_length=64)
        token_encrypted = TextField()
        issued_at = DateTimeField()
        issued_by = ForeignKeyField(User, null=True, on_delete='RESTRICT')
        revoked_at = DateTimeField(null=True)
        revoked_by = ForeignKeyField(User, null=True, on_delete='RESTRICT')
        last_seen_at = DateTimeField(null=True)
        view_count = IntegerField(default=0)
        class Meta:
            database = db
            table_name = 'controller_link'

    class ControllerLinkVisitor(Model):
        link = ForeignKeyField(ControllerLink, on_delete='CASCADE')
        address_hash = CharField(max_length=64)
        first_seen_at = DateTimeField()
        last_seen_at = DateTimeField()
        views = IntegerField(default=1)
        class Meta:
            database = db
            table_name = 'controller_link_visitor'
            indexes = ((('link', 'address_hash'), True),)

    class ControllerConfirmation(Model):
        request_key = CharField(max_length=32, index=True)
        controller = ForeignKeyField(Controller, on_delete='RESTRICT')
        kind = CharField(max_length=14, constraints=[Check("kind IN ('objection', 'late_objection', 'instruction')")])
        engagement = ForeignKeyField(Engagement, null=True, on_delete='RESTRICT')
        instruction = ForeignKeyField(Instruction, null=True, on_delete='RESTRICT')
        reason = TextField(default='')
        email = CharField(max_length=254)
        token_hash = CharField(unique=True, max_length=64)
        requested_at = DateTimeField()
        expires_at = DateTimeField()
        used_at = DateTimeField(null=True)
        confirmed_at = DateTimeField(null=True, index=True)
        class Meta:
            database = db
            table_name = 'controller_confirmation'

    db.create_tables([ControllerLink, ControllerLinkVisitor, ControllerConfirmation])


def down(migrator, db):
    for table in ('controller_confirmation', 'controller_link_visitor', 'controller_link'):
        db.execute_sql(f'DROP TABLE {table}')
