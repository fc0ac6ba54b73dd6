"""The audit log resists someone with write access to the database but not the audit key.

Before, an event was deleted, another edited, the chain's hashes recomputed, and `audit verify`
said intact. Now every event carries a MAC under REGISTRY_AUDIT_KEY, the table refuses UPDATE
and DELETE, and an exported head shows that newest events were cut off.
"""

import importlib.util
import json

import pytest
from peewee import DatabaseError

from registry import asset_dir, audit
from registry.extensions import database
from registry.models import AuditEvent
from tests.audit_helpers import append_only_guard_lifted
from tests.factories import make_user


def _events(count=4):
    user = make_user()
    for number in range(count):
        audit.record("test.action", user, f"event {number}", {"number": number}, actor=user)
    return list(AuditEvent.select().order_by(AuditEvent.id))


def _rechain():
    """Recompute every hash and link in order, as an attacker without the key would."""
    previous = audit.GENESIS
    for event in AuditEvent.select().order_by(AuditEvent.id):
        event.previous_hash = previous
        event.hash = audit.compute_hash(event)
        AuditEvent.update(previous_hash=event.previous_hash, hash=event.hash).where(
            AuditEvent.id == event.id).execute()
        previous = event.hash


def test_delete_edit_and_recompute_is_detected(app):
    events = _events()
    with append_only_guard_lifted():
        AuditEvent.delete().where(AuditEvent.id == events[1].id).execute()
        AuditEvent.update(summary="nothing to see").where(AuditEvent.id == events[2].id).execute()
        _rechain()
    broken, reason = audit.verify()
    assert broken.id == events[2].id and "MAC" in reason


def test_stripping_the_macs_is_detected(app):
    events = _events()
    with append_only_guard_lifted():
        AuditEvent.update(mac=None).execute()
    broken, reason = audit.verify()
    assert broken.id == events[0].id and "no MAC" in reason


def test_the_table_refuses_update_and_delete(app):
    events = _events(1)
    with pytest.raises(DatabaseError, match="append-only"), database.atomic():
        AuditEvent.update(summary="edited").where(AuditEvent.id == events[0].id).execute()
    with pytest.raises(DatabaseError, match="append-only"), database.atomic():
        AuditEvent.delete().where(AuditEvent.id == events[0].id).execute()
    assert AuditEvent.get_by_id(events[0].id).summary == "event 0"


def test_truncation_after_an_exported_head_is_detected(app, runner, tmp_path):
    events = _events()
    head = tmp_path / "head.json"
    result = runner.invoke(args=["audit", "head", "-o", str(head)])
    assert result.exit_code == 0, result.output
    assert json.loads(head.read_text())["event_id"] == events[-1].id
    _events(1)
    result = runner.invoke(args=["audit", "verify", "--head", str(head)])
    assert result.exit_code == 0 and "exported head is part of it" in result.output
    with append_only_guard_lifted():
        AuditEvent.delete().where(AuditEvent.id >= events[2].id).execute()
    assert audit.verify() == (None, None)  # what is left is a valid chain by itself
    result = runner.invoke(args=["audit", "verify", "--head", str(head)])
    assert result.exit_code == 1 and "truncated" in result.output


def test_an_edited_head_is_refused(app, runner, tmp_path):
    events = _events()
    head = tmp_path / "head.json"
    runner.invoke(args=["audit", "head", "-o", str(head)])
    forged = json.loads(head.read_text()) | {"event_id": events[1].id,
                                              "hash": events[1].hash}
    head.write_text(json.dumps(forged))
    result = runner.invoke(args=["audit", "verify", "--head", str(head)])
    assert result.exit_code == 1 and "MAC does not match" in result.output


def test_events_verify_only_with_the_key_that_signed_them(app):
    _events(2)
    old_key = app.config["AUDIT_KEY"]
    app.config["AUDIT_KEY"] = "a-new-audit-key-" + "n" * 32
    broken, reason = audit.verify()
    assert broken is not None and "no MAC" in reason
    app.config["AUDIT_PREVIOUS_KEYS"] = [old_key]  # a rotation keeps the old key for verifying
    audit.record("test.after_rotation", actor="cli")
    assert audit.verify() == (None, None)


def test_after_a_rotation_an_old_key_cannot_sign_newer_events(app):
    old_key = app.config["AUDIT_KEY"]
    app.config.update(AUDIT_KEY="a-new-audit-key-" + "n" * 32, AUDIT_PREVIOUS_KEYS=[old_key])
    audit.record("test.after_rotation", actor="cli")
    app.config["AUDIT_KEY"] = old_key  # whoever still has the old key appends with it
    event = audit.record("test.forged", actor="cli")
    app.config["AUDIT_KEY"] = "a-new-audit-key-" + "n" * 32
    broken, reason = audit.verify()
    assert broken.id == event.id and "replaced" in reason


def test_the_upgrade_signs_events_recorded_before_it(app):
    events = _events(2)
    with append_only_guard_lifted():
        AuditEvent.update(mac=None).execute()
        path = asset_dir("migrations") / "0017_security_second_pass.py"
        spec = importlib.util.spec_from_file_location("migration_0017", path)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        migration._sign_existing_events(database.obj)
    assert audit.verify() == (None, None)
    assert all(event.mac for event in AuditEvent.select())
    assert len(events) == 2


def test_the_worker_writes_a_daily_head_where_configured(app, runner, tmp_path):
    from registry.tasks import daily_audit_head

    _events(2)
    app.config["AUDIT_HEAD_DIR"] = str(tmp_path / "heads")
    daily_audit_head.call_local()
    [written] = (tmp_path / "heads").glob("audit-head-*.json")
    result = runner.invoke(args=["audit", "verify", "--head", str(written)])
    assert result.exit_code == 0, result.output


def test_outside_development_the_audit_key_is_required(tmp_path, monkeypatch):
    from registry import create_app
    from registry.config import ConfigError

    monkeypatch.setenv("REGISTRY_INSTANCE_PATH", str(tmp_path))
    with pytest.raises(ConfigError, match="REGISTRY_AUDIT_KEY must be set"):
        create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
                    "REGISTRY_ENV": "production", "SECRET_KEY": "s" * 48,
                    "TOTP_KEY": "t" * 48, "AUDIT_KEY": None, "BASE_URL": "https://r.example"})
    assert not (tmp_path / "audit_key").exists()
