"""Requirement groups: the day a group was retired (kept for history, no longer required)."""
from peewee import *


def up(migrator, db):
    migrator.migrate(
        migrator.add_column('requirement', 'retired_on', DateField(null=True)),
    )


def down(migrator, db):
    migrator.migrate(
        migrator.drop_column('requirement', 'retired_on'),
    )
