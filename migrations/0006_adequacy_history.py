"""Adequacy decisions: a history per country (the UK's decision of 2021 and its renewal of 2025).

A country was unique; now each decision is known by its country and decision date, so that the
engine can answer which decision covered a transfer on any day.
"""
from peewee import *


def up(migrator, db):
    migrator.migrate(
        migrator.drop_index('adequacy_decision', 'adequacydecision_country_code'),
        migrator.add_index('adequacy_decision', ('country_code',), False),
        migrator.add_index('adequacy_decision', ('country_code', 'decided_on'), True),
    )


def down(migrator, db):
    migrator.migrate(
        migrator.drop_index('adequacy_decision', 'adequacydecision_country_code_decided_on'),
        migrator.drop_index('adequacy_decision', 'adequacydecision_country_code'),
        migrator.add_index('adequacy_decision', ('country_code',), True),
    )
