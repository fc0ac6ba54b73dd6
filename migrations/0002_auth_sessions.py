"""Server-side sessions also for visitors not signed in yet; one audit successor per event."""
from peewee import *


def up(migrator, db):
    migrator.migrate(
        migrator.drop_not_null('user_session', 'user_id'),
        migrator.add_column('user_session', 'data', TextField(default='{}')),
        migrator.add_index('user_session', ('last_seen_at',), False),
        migrator.add_index('audit_event', ('previous_hash',), True),
    )


def down(migrator, db):
    migrator.migrate(
        migrator.drop_index('audit_event', 'audit_event_previous_hash'),
        migrator.drop_index('user_session', 'user_session_last_seen_at'),
        migrator.drop_column('user_session', 'data'),
    )
