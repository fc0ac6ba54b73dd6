"""Subcontractor history: what a subcontractor's dated facts (status, risk tier, locations,
transfer mechanism, TIA, card data, breach-notice promise) were until a day, so that the engine
can answer for a past day. An engine table: its writes bump the registry revision.
"""
from peewee import *

from registry.revision import install_revision_triggers, remove_revision_triggers


def up(migrator, db):
    class Subcontractor(Model):
        class Meta:
            database = db
            table_name = 'subcontractor'

    class SubcontractorHistory(Model):
        created_at = DateTimeField()
        updated_at = DateTimeField()
        subcontractor = ForeignKeyField(Subcontractor, on_delete='RESTRICT')
        valid_until = DateField()
        status = CharField(max_length=12, constraints=[Check("status IN ('proposed', 'active', 'offboarded')")])
        risk_tier = CharField(max_length=10, constraints=[Check("risk_tier IN ('low', 'medium', 'high')")])
        country = CharField(max_length=2)
        processing_countries = TextField(default='[]')
        transfer_mechanism = CharField(null=True, max_length=20, constraints=[Check("transfer_mechanism IS NULL OR transfer_mechanism IN ('adequacy', 'dpf', 'scc_2021_m2', 'scc_2021_m3', 'bcr', 'scc_2010')")])
        tia_on = DateField(null=True)
        handles_card_data = BooleanField(default=False)
        breach_notice_hours = IntegerField(null=True)
        class Meta:
            database = db
            table_name = 'subcontractor_history'
            indexes = ((('subcontractor', 'valid_until'), False),)
    db.create_tables([SubcontractorHistory])
    install_revision_triggers(db, 'subcontractor_history')


def down(migrator, db):
    remove_revision_triggers(db, 'subcontractor_history')
    db.execute_sql('DROP TABLE subcontractor_history')
