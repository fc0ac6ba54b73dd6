"""The restore drill of docs/backup.md, on SQLite and PostgreSQL: back up a registry with
accounts, alerts and an audit log, restore it into a new database, and compare."""

import json
import secrets
import stat
from urllib.parse import urlsplit

import psycopg
import pytest

from registry import create_app
from registry.clock import use_clock
from registry.extensions import database
from registry.models import Alert, AuditEvent, User
from tests.auth_helpers import login
from tests.conftest import POSTGRES_URL, base_config
from tests.factories import make_user

NOW = "2026-11-25T12:30+02:00"


def outcome(runner):
    """Return what the drill compares: the check's JSON, the audit verdict and the counts."""
    check = runner.invoke(args=["check", "--format", "json", "--now", NOW])
    assert check.exit_code in (0, 1), check.output
    verify = runner.invoke(args=["audit", "verify"])
    return {
        "check": json.loads(check.output),
        "audit_verify_exit": verify.exit_code,
        "users": [(user.email, user.role, user.totp_secret_encrypted)
                  for user in User.select().order_by(User.id)],
        "alerts": [(alert.key, alert.status, alert.sent_at)
                   for alert in Alert.select().order_by(Alert.id)],
    }


@pytest.fixture
def populated(app, runner, clock):
    """The demo registry, an administrator, alerts sent and an audit trail."""
    assert runner.invoke(args=["demo"]).exit_code == 0
    admin = make_user("admin", email="admin@example.test")
    sent = runner.invoke(args=["alerts", "send", "--now", NOW])
    assert sent.exit_code in (0, 1), sent.output
    assert Alert.select().count() > 0 and AuditEvent.select().count() > 0
    return admin


@pytest.fixture
def new_database(database_url, tmp_path):
    """The URL of a new, empty database of the same kind as the test's, dropped afterwards."""
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'restored' / 'registry.sqlite3'}"
        return
    name = f"registry_restore_{secrets.token_hex(6)}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield urlsplit(POSTGRES_URL)._replace(path=f"/{name}").geturl()
    if not database.is_closed():
        database.close()
    with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def restored_app(tmp_path, url):
    """An app on `url` with the same secrets as the original (the keys kept beside the backup)."""
    return create_app(base_config(tmp_path / "restored-app", url))


def test_restore_drill_keeps_accounts_alerts_audit_and_findings(
        app, runner, populated, new_database, tmp_path, clock):
    before = outcome(runner)
    assert before["audit_verify_exit"] == 0
    backup = tmp_path / "backups" / "registry.backup"
    backup.parent.mkdir()
    made = runner.invoke(args=["backup", "-o", str(backup)])
    assert made.exit_code == 0, made.output
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert [path.name for path in backup.parent.iterdir()] == ["registry.backup"]

    target = restored_app(tmp_path, new_database)
    with target.app_context():
        use_clock(target, clock)
        target_runner = target.test_cli_runner()
        restored = target_runner.invoke(args=["restore", str(backup)])
        assert restored.exit_code == 0, restored.output
        assert "restored" in restored.output
        after = outcome(target_runner)
        assert after == before
        last = AuditEvent.select().order_by(AuditEvent.id.desc()).get()
        assert last.action == "registry.restored"
        # The TOTP secrets decrypt with the kept key: the administrator signs in for real.
        admin = User.get(User.email == "admin@example.test")
        client = login(target.test_client(), admin)
        assert client.get("/reports").status_code == 200


def test_restore_into_a_migrated_empty_database(app, runner, populated, new_database, tmp_path,
                                                clock):
    before = outcome(runner)
    backup = tmp_path / "registry.backup"
    assert runner.invoke(args=["backup", "-o", str(backup)]).exit_code == 0
    target = restored_app(tmp_path, new_database)
    with target.app_context():
        target_runner = target.test_cli_runner()
        assert target_runner.invoke(args=["db", "upgrade"]).exit_code == 0
        restored = target_runner.invoke(args=["restore", str(backup)])
        assert restored.exit_code == 0, restored.output
        assert outcome(target_runner) == before


def test_restore_refuses_a_database_that_holds_a_registry(app, runner, populated, tmp_path):
    backup = tmp_path / "registry.backup"
    assert runner.invoke(args=["backup", "-o", str(backup)]).exit_code == 0
    make_user("legal", email="later@example.test")
    refused = runner.invoke(args=["restore", str(backup)])
    assert refused.exit_code == 2
    assert "the database is not empty" in refused.output
    assert "--force" in refused.output
    assert User.select().where(User.email == "later@example.test").exists()


def test_restore_force_replaces_the_registry(app, runner, populated, tmp_path):
    backup = tmp_path / "registry.backup"
    assert runner.invoke(args=["backup", "-o", str(backup)]).exit_code == 0
    make_user("legal", email="later@example.test")
    replaced = runner.invoke(args=["restore", "--force", str(backup)])
    assert replaced.exit_code == 0, replaced.output
    assert not User.select().where(User.email == "later@example.test").exists()
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0
