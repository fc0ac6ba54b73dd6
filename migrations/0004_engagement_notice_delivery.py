"""Engagements: the delivery record of the notice to controllers (when sent, or what failed)."""
from peewee import *


def up(migrator, db):
    migrator.migrate(
        migrator.add_column('engagement', 'notice_sent_at', DateTimeField(null=True)),
        migrator.add_column('engagement', 'notice_error', TextField(default='')),
    )


def down(migrator, db):
    migrator.migrate(
        migrator.drop_column('engagement', 'notice_error'),
        migrator.drop_column('engagement', 'notice_sent_at'),
    )
