"""Sub-processor chains: a subcontractor's parent, the sub-processor that engages it (None: the
processor engages it directly). The link is a dated fact, so the history keeps it too.

Both tables are engine tables already; adding a column does not rebuild them on SQLite, so
their revision triggers stay in place.
"""
from peewee import *


def up(migrator, db):
    class Subcontractor(Model):
        class Meta:
            database = db
            table_name = 'subcontractor'

    migrator.migrate(
        migrator.add_column('subcontractor', 'parent_id', ForeignKeyField(
            Subcontractor, field=Subcontractor.id, null=True, on_delete='RESTRICT')),
        migrator.add_column('subcontractor_history', 'parent_id', ForeignKeyField(
            Subcontractor, field=Subcontractor.id, null=True, index=False,
            on_delete='RESTRICT')),
    )


def down(migrator, db):
    migrator.migrate(
        migrator.drop_column('subcontractor_history', 'parent_id'),
        migrator.drop_column('subcontractor', 'parent_id'),
    )
