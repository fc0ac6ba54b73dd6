"""Report jobs: whole-registry PDF reports requested on the web and made by the worker.

The finished PDF is stored as a Document (its bytes in document_blob), never on a web host's
disk, so any host can serve the download.
"""
from peewee import *


def up(migrator, db):
    class User(Model):
        class Meta:
            database = db
            table_name = 'user'

    class Document(Model):
        class Meta:
            database = db
            table_name = 'document'

    class ReportJob(Model):
        created_at = DateTimeField()
        updated_at = DateTimeField()
        requested_by = ForeignKeyField(User, on_delete='RESTRICT')
        kind = CharField(max_length=40)
        as_of = DateField()
        status = CharField(max_length=7, default='queued', constraints=[Check("status IN ('queued', 'running', 'done', 'failed')")])
        progress = CharField(max_length=200, default='')
        error = TextField(default='')
        claim_token = CharField(max_length=32, null=True)
        started_at = DateTimeField(null=True)
        finished_at = DateTimeField(null=True)
        expires_at = DateTimeField(index=True)
        document = ForeignKeyField(Document, null=True, on_delete='RESTRICT')
        class Meta:
            database = db
            table_name = 'report_job'
            indexes = ((('status', 'created_at'), False),)

    db.create_tables([ReportJob])


def down(migrator, db):
    db.execute_sql('DROP TABLE report_job')
