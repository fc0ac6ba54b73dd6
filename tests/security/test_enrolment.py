"""TOTP enrolment: the pending key belongs to the session that showed it, and the user hears of
every change to their second factor.

Before, the unconfirmed key was stored on the user row and shown to every later session: a key
copied by someone who knew the password, then enrolled by the victim, signed them in.
"""

import re

from registry.auth import totp
from registry.models import User, UserSession
from tests.auth_helpers import csrf_token, login, login_form, post_form
from tests.factories import PASSWORD, make_user, totp_code_for, totp_secret

KEY = re.compile(r'id="totp-secret"><code>([A-Z2-7 ]+)</code>')


def _shown_key(client):
    page = client.get("/mfa/enroll")
    assert page.status_code == 200
    return KEY.search(page.get_data(as_text=True)).group(1).replace(" ", "")


def _password_step(client, user):
    response = login_form(client, user.email, PASSWORD)
    assert response.headers["Location"] == "/mfa/enroll"


def _enrol(client, key):
    return post_form(client, "/mfa/enroll", {"code": totp.code_at_step(key,
                                                                       totp.current_step())})


def test_a_key_copied_in_one_session_cannot_be_enrolled_from_another(app, make_client):
    user = make_user(enrolled=False)
    attacker, victim = make_client(), make_client()
    _password_step(attacker, user)
    copied = _shown_key(attacker)
    _password_step(victim, user)
    own = _shown_key(victim)
    assert own != copied
    assert _enrol(victim, own).status_code == 200  # the recovery codes page
    login_form(attacker, user.email, PASSWORD)
    code = totp.code_at_step(copied, totp.current_step())
    response = post_form(attacker, "/login/totp", {"code": code})
    assert response.status_code == 200 and "not right" in response.get_data(as_text=True)
    assert attacker.get("/account").status_code == 302


def test_the_copied_key_cannot_be_enrolled_by_its_own_session_after_the_victim(app,
                                                                            make_client):
    user = make_user(enrolled=False)
    attacker, victim = make_client(), make_client()
    _password_step(attacker, user)
    page = attacker.get("/mfa/enroll").get_data(as_text=True)
    copied = KEY.search(page).group(1).replace(" ", "")
    _password_step(victim, user)
    _enrol(victim, _shown_key(victim))
    response = attacker.post("/mfa/enroll", data={
        "code": totp.code_at_step(copied, totp.current_step()), "csrf_token": csrf_token(page)})
    assert response.status_code == 302 and response.headers["Location"] == "/login/totp"
    assert totp_secret(user) != copied


def test_each_sign_in_offers_a_new_key_and_keeps_it_for_the_session(app, client):
    user = make_user(enrolled=False)
    _password_step(client, user)
    first = _shown_key(client)
    assert _shown_key(client) == first  # a reload keeps the key being scanned
    _password_step(client, user)
    assert _shown_key(client) != first


def test_the_pending_key_is_stored_only_encrypted_in_its_session(app, client):
    user = make_user(enrolled=False)
    _password_step(client, user)
    key = _shown_key(client)
    rows = [row.data for row in UserSession.select()]
    assert any("enrolment_key" in data for data in rows)
    assert not any(key in data for data in rows)
    assert user.totp_secret_encrypted is None


def test_enrolment_is_announced_by_e_mail(app, client, outbox):
    user = make_user(enrolled=False)
    _password_step(client, user)
    _enrol(client, _shown_key(client))
    mail = [m for m in outbox() if m["To"] == user.email]
    assert [m["Subject"] for m in mail] == [
        "[dpa-registry] An authenticator app was set up for your account"]
    assert "127.0.0.1" in mail[0].get_body(("plain",)).get_content()


def test_an_mfa_reset_is_announced_by_e_mail(app, runner, make_client, outbox):
    user = make_user()
    result = runner.invoke(args=["users", "reset-mfa", "--email", user.email])
    assert result.exit_code == 0
    admin = make_user("admin")
    other = make_user()
    admin_client = login(make_client(), admin)
    User.update(totp_last_step=0).where(User.id == admin.id).execute()  # a new step has come
    response = post_form(admin_client, f"/admin/users/{other.id}/reset-mfa",
                         {"code": totp_code_for(admin)}, page_url=f"/admin/users/{other.id}")
    assert response.status_code == 302
    subjects = {(m["To"], m["Subject"]) for m in outbox()}
    assert (user.email, "[dpa-registry] Your authenticator app was reset") in subjects
    assert (other.email, "[dpa-registry] Your authenticator app was reset") in subjects
    text = next(m for m in outbox() if m["To"] == other.email).get_body(("plain",)).get_content()
    assert admin.email in text
