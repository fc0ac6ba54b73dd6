"""Alerts: who an alert is for, the claim of the run sending it, and what its message says."""
from peewee import *


def up(migrator, db):
    migrator.migrate(
        migrator.add_column('alert', 'audience', CharField(max_length=40, default='legal')),
        migrator.add_column('alert', 'claim_token', CharField(max_length=32, null=True)),
        migrator.add_column('alert', 'details', TextField(default='{}')),
        migrator.add_index('alert', ('audience',), False),
        migrator.add_index('alert', ('claim_token',), False),
    )


def down(migrator, db):
    migrator.migrate(
        migrator.drop_index('alert', 'alert_claim_token'),
        migrator.drop_index('alert', 'alert_audience'),
        migrator.drop_column('alert', 'details'),
        migrator.drop_column('alert', 'claim_token'),
        migrator.drop_column('alert', 'audience'),
    )
