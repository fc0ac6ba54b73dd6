"""A valid code sent twice by the same session (a double click) is not an attack; a code used by
another session still is.

Before, the second copy of a double click was refused as a replay: it counted as a failure
(five double clicks paused the account) and mailed the user "a code was used twice".
"""

from registry.auth import totp
from registry.models import AuditEvent, User, UserSession
from tests.auth_helpers import login_form, post_form
from tests.factories import PASSWORD, make_user, totp_code_for


def _pending_row(user):
    return (UserSession.select()
            .where((UserSession.user == user) & UserSession.ended_at.is_null()
                   & UserSession.mfa_completed_at.is_null())
            .order_by(UserSession.id.desc())
            .first())


def _claimed_by(user, row):
    """What the first of two parallel requests did: it used the code's step for its session."""
    assert totp.claim_step(user.id, totp.current_step(), session_id=row.id)


def test_the_same_session_sending_its_code_twice_is_not_a_failure(app, client, outbox):
    user = make_user()
    for _attempt in range(6):
        User.update(totp_last_step=0).where(User.id == user.id).execute()
        login_form(client, user.email, PASSWORD)
        _claimed_by(user, _pending_row(user))
        response = post_form(client, "/login/totp", {"code": totp_code_for(user)})
        assert response.status_code == 302
    refreshed = User.get_by_id(user.id)
    assert refreshed.failed_attempts == 0 and refreshed.locked_until is None
    assert not AuditEvent.select().where(AuditEvent.action == "auth.totp_replayed").exists()
    assert outbox() == []


def test_a_code_used_by_another_session_still_warns(app, make_client, outbox):
    user = make_user()
    first, second = make_client(), make_client()
    login_form(first, user.email, PASSWORD)
    _claimed_by(user, _pending_row(user))
    login_form(second, user.email, PASSWORD)
    response = post_form(second, "/login/totp", {"code": totp_code_for(user)})
    assert response.status_code == 200 and "used already" in response.get_data(as_text=True)
    assert User.get_by_id(user.id).failed_attempts == 1
    assert AuditEvent.select().where(AuditEvent.action == "auth.totp_replayed").exists()
    assert [m["Subject"] for m in outbox()] == [
        "[dpa-registry] A sign-in code of yours was used twice"]


def test_verify_tells_a_duplicate_from_a_replay(app):
    user = make_user()
    secret = totp.decrypt_secret(user.totp_secret_encrypted, app.config["TOTP_KEY"])
    code = totp.code_at_step(secret, totp.current_step())
    assert totp.verify(user.id, secret, code, session_id=7) == totp.ACCEPTED
    assert totp.verify(user.id, secret, code, session_id=7) == totp.DUPLICATE
    assert totp.verify(user.id, secret, code, session_id=8) == totp.REPLAYED
    assert totp.verify(user.id, secret, code) == totp.REPLAYED
