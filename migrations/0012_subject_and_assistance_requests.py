"""Data-subject requests (Art. 28(3)(e)) and controllers' assistance requests (Art. 28(3)(f),
(h)), and the DPA term of how many working days a data-subject request may take to forward.

The engine reads both new tables, so their writes bump the registry revision. On SQLite, peewee
adds a NOT NULL column and drops one by copying the table, and the copy has no triggers, so both
directions put `dpa`'s triggers back.
"""
from peewee import *

from registry.revision import install_revision_triggers, remove_revision_triggers

TABLES = ('subject_request', 'assistance_request')


def up(migrator, db):
    class Controller(Model):
        class Meta:
            database = db
            table_name = 'controller'

    class User(Model):
        class Meta:
            database = db
            table_name = 'user'

    class Document(Model):
        class Meta:
            database = db
            table_name = 'document'

    class SubjectRequest(Model):
        created_at = DateTimeField()
        updated_at = DateTimeField()
        reference = CharField(unique=True, max_length=40)
        received_at = DateTimeField(index=True)
        channel = CharField(max_length=10, constraints=[Check("channel IN ('email', 'web_form', 'phone', 'letter', 'in_person', 'other')")])
        request_type = CharField(max_length=13, constraints=[Check("request_type IN ('access', 'rectification', 'erasure', 'restriction', 'portability', 'objection')")])
        controller = ForeignKeyField(Controller, null=True, on_delete='RESTRICT')
        subject_reference = CharField(max_length=200)
        details = TextField(default='')
        forward_days = IntegerField(null=True)
        due_at = DateTimeField()
        forward_recipients = TextField(default='[]')
        forward_message_id = CharField(null=True, max_length=200)
        forward_error = TextField(default='')
        forwarded_at = DateTimeField(null=True)
        forwarded_to = TextField(default='[]')
        instruction = TextField(default='')
        assistance_tasks = TextField(default='')
        recorded_by = ForeignKeyField(User, null=True, on_delete='RESTRICT')
        closed_at = DateTimeField(null=True)
        row_version = IntegerField(default=1)
        class Meta:
            database = db
            table_name = 'subject_request'

    class AssistanceRequest(Model):
        created_at = DateTimeField()
        updated_at = DateTimeField()
        reference = CharField(unique=True, max_length=40)
        kind = CharField(max_length=20, constraints=[Check("kind IN ('dpia', 'prior_consultation', 'security_information', 'audit')")])
        controller = ForeignKeyField(Controller, on_delete='RESTRICT')
        received_on = DateField(index=True)
        due_on = DateField()
        summary = TextField(default='')
        answered_on = DateField(null=True)
        answer = TextField(default='')
        answer_document = ForeignKeyField(Document, null=True, on_delete='RESTRICT')
        recorded_by = ForeignKeyField(User, null=True, on_delete='RESTRICT')
        row_version = IntegerField(default=1)
        class Meta:
            database = db
            table_name = 'assistance_request'
            constraints = [Check('due_on >= received_on')]

    db.create_tables([SubjectRequest, AssistanceRequest])
    for table in TABLES:
        install_revision_triggers(db, table)
    migrator.migrate(
        migrator.add_column('dpa', 'dsr_forward_days', IntegerField(
            default=2, constraints=[Check('dsr_forward_days > 0')])),
    )
    _restore_dpa_triggers(db)


def down(migrator, db):
    migrator.migrate(migrator.drop_column('dpa', 'dsr_forward_days'))
    _restore_dpa_triggers(db)
    for table in TABLES:
        remove_revision_triggers(db, table)
    for table in reversed(TABLES):
        db.execute_sql(f'DROP TABLE {table}')


def _restore_dpa_triggers(db):
    if isinstance(db, SqliteDatabase):
        remove_revision_triggers(db, 'dpa')
        install_revision_triggers(db, 'dpa')
