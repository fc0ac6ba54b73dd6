"""Webhook secret rotation with an overlap: the replaced secret (sealed) and until when
deliveries are still signed with it beside the new one. Not an engine table: no triggers.
"""
from peewee import *


def up(migrator, db):
    migrator.migrate(
        migrator.add_column('webhook_endpoint', 'previous_secret', BlobField(null=True)),
        migrator.add_column('webhook_endpoint', 'previous_secret_until', DateTimeField(null=True)),
    )


def down(migrator, db):
    migrator.migrate(
        migrator.drop_column('webhook_endpoint', 'previous_secret_until'),
        migrator.drop_column('webhook_endpoint', 'previous_secret'),
    )
