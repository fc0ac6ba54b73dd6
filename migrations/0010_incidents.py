"""Incidents (personal-data breaches, Art. 33): the incident, one notice per affected controller
with its deadline, and the e-mails of each notice (the first and any Art. 33(4) follow-ups).

The engine reads incidents and their notices, so their writes bump the registry revision; the
e-mails' delivery records are not read by it.
"""
from peewee import *

from registry.revision import install_revision_triggers, remove_revision_triggers


def up(migrator, db):
    class Controller(Model):
        class Meta:
            database = db
            table_name = 'controller'

    class Subcontractor(Model):
        class Meta:
            database = db
            table_name = 'subcontractor'

    class User(Model):
        class Meta:
            database = db
            table_name = 'user'

    class Incident(Model):
        created_at = DateTimeField()
        updated_at = DateTimeField()
        reference = CharField(unique=True, max_length=40)
        title = CharField(max_length=200)
        aware_at = DateTimeField(index=True)
        detected_by = CharField(max_length=13, default='internal', constraints=[Check("detected_by IN ('internal', 'subcontractor')")])
        subcontractor = ForeignKeyField(Subcontractor, null=True, on_delete='RESTRICT')
        subcontractor_aware_at = DateTimeField(null=True)
        affected_scope = CharField(max_length=13, default='controllers', constraints=[Check("affected_scope IN ('controllers', 'subcontractor')")])
        nature = TextField(default='')
        data_subject_categories = TextField(default='')
        data_subject_count = IntegerField(null=True)
        record_categories = TextField(default='')
        record_count = BigIntegerField(null=True)
        likely_consequences = TextField(default='')
        measures = TextField(default='')
        contact_point = TextField(default='')
        recorded_by = ForeignKeyField(User, null=True, on_delete='RESTRICT')
        closed_at = DateTimeField(null=True)
        row_version = IntegerField(default=1)
        class Meta:
            database = db
            table_name = 'incident'
            constraints = [
                Check("detected_by = 'internal' OR subcontractor_id IS NOT NULL"),
                Check("affected_scope = 'controllers' OR subcontractor_id IS NOT NULL"),
            ]

    class IncidentNotice(Model):
        created_at = DateTimeField()
        updated_at = DateTimeField()
        incident = ForeignKeyField(Incident, on_delete='RESTRICT')
        controller = ForeignKeyField(Controller, on_delete='RESTRICT')
        breach_notice_hours = IntegerField(null=True)
        due_at = DateTimeField()
        notified_at = DateTimeField(null=True)
        recipients = TextField(default='[]')
        class Meta:
            database = db
            table_name = 'incident_notice'
            indexes = ((('incident', 'controller'), True),)

    class IncidentMessage(Model):
        created_at = DateTimeField()
        updated_at = DateTimeField()
        notice = ForeignKeyField(IncidentNotice, on_delete='RESTRICT')
        kind = CharField(max_length=10, default='initial', constraints=[Check("kind IN ('initial', 'follow_up')")])
        text = TextField(default='')
        recipients = TextField(default='[]')
        sent_by = ForeignKeyField(User, null=True, on_delete='RESTRICT')
        sent_at = DateTimeField(null=True)
        message_id = CharField(null=True, max_length=200)
        error = TextField(default='')
        class Meta:
            database = db
            table_name = 'incident_message'

    db.create_tables([Incident, IncidentNotice, IncidentMessage])
    for table in ('incident', 'incident_notice'):
        install_revision_triggers(db, table)


def down(migrator, db):
    for table in ('incident_notice', 'incident'):
        remove_revision_triggers(db, table)
    for table in ('incident_message', 'incident_notice', 'incident'):
        db.execute_sql(f'DROP TABLE {table}')
