"""The hash-chained audit log: appends, tamper detection, `dpa-registry audit verify`."""

import threading

import pytest

from registry import audit
from registry.extensions import database
from registry.models import AuditEvent
from tests.audit_helpers import append_only_guard_lifted
from tests.factories import make_user


def _three_events():
    user = make_user()
    for number in range(3):
        audit.record("test.action", user, f"event {number}", {"number": number}, actor=user)
    return list(AuditEvent.select().order_by(AuditEvent.id))


def test_chain_links_every_event_to_the_one_before(app):
    events = _three_events()
    assert events[0].previous_hash == audit.GENESIS
    for before, after in zip(events, events[1:], strict=False):
        assert after.previous_hash == before.hash
    assert all(event.hash == audit.compute_hash(event) for event in events)
    assert audit.verify() == (None, None)


@pytest.mark.parametrize("column, value", [
    ("summary", "nothing happened"), ("actor_label", "someone@else"), ("details", "{}"),
    ("occurred_at", "2020-01-01 00:00:00"), ("ip", "10.9.9.9"),
])
def test_an_edited_row_is_detected(app, column, value):
    events = _three_events()
    with append_only_guard_lifted():
        AuditEvent.update({getattr(AuditEvent, column): value}).where(
            AuditEvent.id == events[1].id).execute()
    assert audit.verify()[0].id == events[1].id


def test_a_deleted_row_is_detected(app):
    events = _three_events()
    with append_only_guard_lifted():
        AuditEvent.delete().where(AuditEvent.id == events[1].id).execute()
    assert audit.verify()[0].id == events[2].id


def test_a_recomputed_hash_fails_its_mac(app):
    events = _three_events()
    tampered = AuditEvent.get_by_id(events[0].id)
    tampered.summary = "rewritten"
    with append_only_guard_lifted():
        AuditEvent.update(summary="rewritten", hash=audit.compute_hash(tampered)).where(
            AuditEvent.id == tampered.id).execute()
    broken, reason = audit.verify()
    assert broken.id == events[0].id and "MAC" in reason


def test_cli_reports_intact_and_broken_chains(app, runner):
    events = _three_events()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0 and "intact: 3 events" in result.output
    with append_only_guard_lifted():
        AuditEvent.update(summary="edited").where(AuditEvent.id == events[2].id).execute()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and f"broken at event {events[2].id}" in result.output


def test_details_must_not_carry_secrets(app):
    with pytest.raises(ValueError):
        audit.record("test.action", details={"password": "x"})
    with pytest.raises(ValueError):
        audit.record("test.action", details={"totp_code": "123456"})


def test_concurrent_appends_keep_one_chain(app):
    user = make_user()
    errors = []

    def append(worker):
        try:
            with app.app_context(), database.connection_context():
                for number in range(5):
                    audit.record("test.concurrent", ("worker", worker), str(number), actor=user)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=append, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert AuditEvent.select().count() == 20
    assert audit.verify() == (None, None)


def test_subject_and_actor_are_recorded(app):
    user = make_user()
    event = audit.record("test.action", user, "summary", actor=user)
    assert (event.object_type, event.object_id) == ("user", str(user.id))
    assert (event.actor_id, event.actor_label) == (user.id, user.email)
    assert audit.record("test.action", actor="cli").actor_label == "cli"
