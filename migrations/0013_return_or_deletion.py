"""Return or deletion at the end (Art. 28(3)(g)): the DPA term of how many days after the end
the data is returned or deleted, and the evidence of each item (certificate, completion).

The items are derived by the engine from the dated ends; this table keeps only their evidence,
and the engine reads it, so its writes bump the registry revision. On SQLite, peewee adds a
NOT NULL column and drops one by copying the table, and the copy has no triggers, so both
directions put `dpa`'s triggers back.
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

    class Engagement(Model):
        class Meta:
            database = db
            table_name = 'engagement'

    class User(Model):
        class Meta:
            database = db
            table_name = 'user'

    class Document(Model):
        class Meta:
            database = db
            table_name = 'document'

    class ReturnOrDeletion(Model):
        created_at = DateTimeField()
        updated_at = DateTimeField()
        item_key = CharField(unique=True, max_length=80)
        controller = ForeignKeyField(Controller, null=True, on_delete='RESTRICT')
        subcontractor = ForeignKeyField(Subcontractor, null=True, on_delete='RESTRICT')
        engagement = ForeignKeyField(Engagement, null=True, on_delete='RESTRICT')
        trigger_on = DateField()
        certificate = ForeignKeyField(Document, null=True, on_delete='RESTRICT')
        certificate_on = DateField(null=True)
        completed_on = DateField(null=True)
        completed_by = ForeignKeyField(User, null=True, on_delete='RESTRICT')
        notes = TextField(default='')
        row_version = IntegerField(default=1)
        class Meta:
            database = db
            table_name = 'return_or_deletion'
            constraints = [Check('completed_on IS NULL OR certificate_id IS NOT NULL')]

    # The column first: on PostgreSQL the deferred triggers would leave pending events that
    # forbid altering `dpa` later in this transaction.
    migrator.migrate(
        migrator.add_column('dpa', 'return_or_deletion_days', IntegerField(
            default=30, constraints=[Check('return_or_deletion_days >= 0')])),
    )
    _restore_dpa_triggers(db)
    db.create_tables([ReturnOrDeletion])
    install_revision_triggers(db, 'return_or_deletion')


def down(migrator, db):
    remove_revision_triggers(db, 'return_or_deletion')
    db.execute_sql('DROP TABLE return_or_deletion')
    migrator.migrate(migrator.drop_column('dpa', 'return_or_deletion_days'))
    _restore_dpa_triggers(db)


def _restore_dpa_triggers(db):
    if isinstance(db, SqliteDatabase):
        remove_revision_triggers(db, 'dpa')
        install_revision_triggers(db, 'dpa')
