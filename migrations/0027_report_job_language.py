"""Background reports in the language of the page that asked for them (issue 21): a user who
follows the browser's language got them in English, since the job has no browser to ask.

* `report_job.language`: the requesting page's language; NULL for jobs queued before (they
  keep using the requester's own choice, else English). Not an engine table: no triggers.
"""
from peewee import *

LANGUAGE_CHECK = "language IS NULL OR language IN ('en', 'fi', 'sv')"


def up(migrator, db):
    migrator.migrate(
        migrator.add_column('report_job', 'language', CharField(
            max_length=2, null=True, constraints=[Check(LANGUAGE_CHECK)])),
    )


def down(migrator, db):
    migrator.migrate(migrator.drop_column('report_job', 'language'))
