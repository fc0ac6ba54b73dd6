"""Security, second pass (issue 17): enrolment keys per session, the reset-mail cap, a keyed and
append-only audit log.

* A TOTP key that was never confirmed is dropped from the user row: pending keys now live in the
  session that showed them, so a key copied by an earlier session cannot be enrolled later.
* `user.totp_last_session_id` remembers which session used the last code (a double click of
  that session is not a replay).
* `password_reset_request`: one row per reset request, known address or not (the hourly cap).
* `audit_event.mac`: a keyed MAC (REGISTRY_AUDIT_KEY) of every event. Events recorded before
  this migration get theirs here, under the key configured for the upgrade, so that every event
  carries one and stripping MACs is itself detected.
* Triggers refuse UPDATE and DELETE on `audit_event` (PostgreSQL and SQLite): the application
  only ever appends.
"""
from flask import current_app
from peewee import *

from registry.audit_mac import event_mac

SQLITE_TRIGGERS = (
    "CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event "
    "BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END",
    "CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event "
    "BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END",
)
POSTGRES_TRIGGER = (
    "CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN RAISE EXCEPTION 'audit_event is append-only' USING ERRCODE = 'insufficient_privilege'; "
    "END $$",
    "CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event "
    "FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()",
)


def _sign_existing_events(db):
    class AuditEvent(Model):
        hash = CharField(max_length=64)
        mac = CharField(max_length=80, null=True)

        class Meta:
            database = db
            table_name = 'audit_event'

    key = current_app.config["AUDIT_KEY"]
    for event in AuditEvent.select().where(AuditEvent.mac.is_null()).order_by(AuditEvent.id):
        AuditEvent.update(mac=event_mac(key, event.hash)).where(
            AuditEvent.id == event.id).execute()


def up(migrator, db):
    class PasswordResetRequest(Model):
        address_hash = CharField(max_length=64, index=True)
        requested_at = DateTimeField(index=True)

        class Meta:
            database = db
            table_name = 'password_reset_request'

    db.execute_sql("UPDATE \"user\" SET totp_secret_encrypted = NULL "
                   "WHERE totp_enabled_at IS NULL")
    migrator.migrate(
        migrator.add_column('user', 'totp_last_session_id', IntegerField(null=True)),
        migrator.add_column('audit_event', 'mac', CharField(max_length=80, null=True)),
    )
    db.create_tables([PasswordResetRequest])
    _sign_existing_events(db)
    for statement in SQLITE_TRIGGERS if isinstance(db, SqliteDatabase) else POSTGRES_TRIGGER:
        db.execute_sql(statement)


def down(migrator, db):
    if isinstance(db, SqliteDatabase):
        db.execute_sql("DROP TRIGGER audit_event_no_update")
        db.execute_sql("DROP TRIGGER audit_event_no_delete")
    else:
        db.execute_sql("DROP TRIGGER audit_event_append_only ON audit_event")
        db.execute_sql("DROP FUNCTION audit_event_append_only()")
    db.execute_sql("DROP TABLE password_reset_request")
    migrator.migrate(
        migrator.drop_column('audit_event', 'mac'),
        migrator.drop_column('user', 'totp_last_session_id'),
    )
