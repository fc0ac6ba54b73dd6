"""Ended and timed-out sessions are deleted (with the imports checked in them), open ones kept."""

from datetime import datetime, timedelta

from registry import tasks
from registry.models import PendingImport, UserSession, utcnow
from tests.auth_helpers import login
from tests.factories import make_user


def _session(user, name, *, created, last_seen, ended=None):
    """Create a session row for `user` dated relative to now (minutes ago)."""
    now = utcnow()
    return UserSession.create(
        token_hash=name.ljust(64, "0"), user=user, data="{}",
        created_at=now - timedelta(minutes=created),
        last_seen_at=now - timedelta(minutes=last_seen),
        mfa_completed_at=now - timedelta(minutes=created),
        ended_at=None if ended is None else now - timedelta(minutes=ended),
    )


def _registry_of_sessions(clock):
    """Return the open sessions' names after creating one of each kind (30 min idle, 12 h max)."""
    user = make_user("legal")
    _session(user, "open", created=60, last_seen=29)
    _session(user, "long", created=11 * 60, last_seen=1)
    _session(user, "idle", created=60, last_seen=31)
    _session(user, "too-old", created=12 * 60 + 1, last_seen=1)
    logged_out = _session(user, "logged-out", created=10, last_seen=5, ended=5)
    PendingImport.create(session=logged_out, filename="a.xlsx", content=b"checked")
    return {"open", "long"}


def _remaining():
    return {row.token_hash.rstrip("0") for row in UserSession.select()}


def test_the_purge_command_deletes_ended_and_expired_sessions_only(app, clock, runner):
    kept = _registry_of_sessions(clock)

    result = runner.invoke(args=["sessions", "purge"])

    assert result.exit_code == 0, result.output
    assert result.output == ("purged 3 ended or expired sessions, "
                             "0 expired pending imports and 0 expired pending uploads\n")
    assert _remaining() == kept
    assert PendingImport.select().count() == 0  # went with its session


def test_the_purge_follows_the_configured_timeouts(app, clock, runner):
    _registry_of_sessions(clock)
    app.config["SESSION_IDLE_MINUTES"] = 10

    runner.invoke(args=["sessions", "purge"])

    assert _remaining() == {"long"}


def test_a_signed_in_session_survives_the_purge_and_still_works(app, clock, client, runner):
    login(client, make_user("legal"))
    clock.advance(timedelta(minutes=20))

    runner.invoke(args=["sessions", "purge"])

    assert client.get("/account").status_code == 200


def test_the_purge_deletes_imports_checked_more_than_an_hour_ago(app, clock, runner):
    user = make_user("legal")
    session = _session(user, "open", created=100, last_seen=1)
    PendingImport.create(session=session, filename="old.xlsx", content=b"x",
                         checked_at=utcnow() - timedelta(minutes=61))

    result = runner.invoke(args=["sessions", "purge"])

    assert "0 ended or expired sessions, 1 expired pending imports" in result.output
    assert PendingImport.select().count() == 0 and UserSession.select().count() == 1


def test_the_worker_purges_every_hour(app, clock):
    due = {task.name for task in tasks.huey.read_periodic(datetime(2026, 11, 30, 3, 15))}
    assert "housekeeping.purge" in due
    _registry_of_sessions(clock)

    tasks.hourly_purge.call_local()

    assert _remaining() == {"open", "long"}
