"""Alert runs (issue 18): when the daily alert run last happened, for the admins' warning, and
the day `dpa-registry serve`'s scheduler claimed, so that several processes run it once. The
engine does not read the table: no revision triggers.
"""
from peewee import *


def up(migrator, db):
    class AlertRun(Model):
        started_at = DateTimeField(index=True)
        finished_at = DateTimeField(null=True)
        source = CharField(max_length=10)
        scheduled_day = DateField(null=True, unique=True)
        sent = IntegerField(default=0)
        deferred = IntegerField(default=0)
        failed = IntegerField(default=0)
        class Meta:
            database = db
            table_name = 'alert_run'

    db.create_tables([AlertRun])


def down(migrator, db):
    db.execute_sql('DROP TABLE alert_run')
