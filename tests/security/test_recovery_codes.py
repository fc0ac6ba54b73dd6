"""New recovery codes end the user's other sessions and tell the user by e-mail.

Before, someone signed in elsewhere (or holding the old codes) stayed signed in unnoticed.
"""

from registry.models import AuditEvent, User
from tests.auth_helpers import login, post_form
from tests.factories import make_user, totp_code_for


def test_regenerating_recovery_codes_ends_other_sessions_and_mails_the_user(app, make_client,
                                                                           outbox):
    user = make_user()
    intruder = login(make_client(), user)
    owner = login(make_client(), user)
    User.update(totp_last_step=0).where(User.id == user.id).execute()  # a new step has come
    response = post_form(owner, "/account/recovery-codes", {"code": totp_code_for(user)},
                         page_url="/account")
    assert response.status_code == 200 and "recovery codes" in response.get_data(as_text=True)
    assert intruder.get("/account").status_code == 302  # signed out
    assert owner.get("/account").status_code == 200
    event = AuditEvent.get(AuditEvent.action == "auth.recovery_codes_regenerated")
    assert '"sessions_ended": 1' in event.details
    mail = [m for m in outbox() if m["To"] == user.email]
    assert [m["Subject"] for m in mail] == [
        "[dpa-registry] New recovery codes were created for your account"]
