"""Lockout abuse (ASVS 6.1.1): a reset password and an administrator can lift the sign-in delay.

Anyone who knows an address can keep its account paused: after 5 failures each wrong password
after the pause re-pauses it, doubling up to an hour. Before, neither a password reset nor an
administrator could clear that, so the owner stayed locked out.
"""

import json

from registry.auth.accounts import new_link
from registry.models import AuditEvent, User
from tests.auth_helpers import login, login_form, post_form
from tests.factories import PASSWORD, make_user

NEW = "violet-anchor-meadow-42"
GENERIC_FAILURE = "The e-mail address or password is not right"


def _lock(client, user):
    for attempt in range(5):
        login_form(client, user.email, f"an attacker's guess {attempt}")
    locked = User.get_by_id(user.id)
    assert locked.failed_attempts == 5 and locked.locked_until is not None
    response = login_form(client, user.email, PASSWORD)
    assert GENERIC_FAILURE in response.get_data(as_text=True)  # even the right password


def test_a_password_reset_lifts_the_lock(app, make_client):
    user = make_user()
    _lock(make_client(), user)
    owner = make_client()
    response = post_form(owner, f"/password/reset/{new_link(user, 'password_reset')}",
                         {"password": NEW, "confirm": NEW})
    assert response.status_code == 302
    reset = User.get_by_id(user.id)
    assert reset.failed_attempts == 0 and reset.locked_until is None
    response = login_form(make_client(), user.email, NEW)
    assert response.status_code == 302 and response.headers["Location"].endswith("/login/totp")


def test_an_admin_unlocks_the_account(app, make_client):
    user = make_user()
    _lock(make_client(), user)
    admin_client = login(make_client(), make_user("admin"))
    page = admin_client.get(f"/admin/users/{user.id}").get_data(as_text=True)
    assert "Paused after 5 failed attempts" in page and "Unlock" in page
    response = post_form(admin_client, f"/admin/users/{user.id}/unlock", {},
                         page_url=f"/admin/users/{user.id}")
    assert response.status_code == 302
    assert "can sign in again" in admin_client.get(response.headers["Location"]).get_data(
        as_text=True)
    event = AuditEvent.get(AuditEvent.action == "user.unlocked")
    assert json.loads(event.details)["failed_attempts"] == 5
    login(make_client(), user)


def test_only_a_locked_account_is_unlocked(app, make_client):
    user = make_user()
    admin_client = login(make_client(), make_user("admin"))
    assert "Unlock" not in admin_client.get(f"/admin/users/{user.id}").get_data(as_text=True)
    response = post_form(admin_client, f"/admin/users/{user.id}/unlock", {},
                         page_url=f"/admin/users/{user.id}")
    assert response.status_code == 400
    assert "is not locked" in response.get_data(as_text=True)
    assert AuditEvent.select().where(AuditEvent.action == "user.unlocked").count() == 0


def test_only_an_admin_may_unlock(app, make_client):
    user = make_user()
    _lock(make_client(), user)
    legal = login(make_client(), make_user("legal"))
    response = post_form(legal, f"/admin/users/{user.id}/unlock", {}, page_url="/account")
    assert response.status_code == 403
    assert User.get_by_id(user.id).failed_attempts == 5


ATTACKER = "203.0.113.9"
OWNER = "198.51.100.7"


def _client_from(make_client, address):
    client = make_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def test_a_pause_kept_up_from_one_address_does_not_keep_the_owner_out(app, make_client):
    user = make_user()
    attacker = _client_from(make_client, ATTACKER)
    for attempt in range(8):  # the fifth failure pauses; later guesses are refused
        login_form(attacker, user.email, f"an attacker's guess {attempt}")
    paused = User.get_by_id(user.id)
    assert paused.failed_attempts == 5 and paused.locked_until is not None
    refused = login_form(attacker, user.email, PASSWORD)
    assert GENERIC_FAILURE in refused.get_data(as_text=True)  # the failing address stays paused
    owner = login(_client_from(make_client, OWNER), user)  # right password and code
    assert owner.get("/account").status_code == 200
    assert User.get_by_id(user.id).failed_attempts == 0


def test_a_wrong_password_from_a_new_address_joins_the_pause(app, make_client):
    user = make_user()
    attacker = _client_from(make_client, ATTACKER)
    for attempt in range(5):
        login_form(attacker, user.email, f"an attacker's guess {attempt}")
    second = _client_from(make_client, OWNER)
    login_form(second, user.email, "another wrong guess")
    refused = login_form(second, user.email, PASSWORD)
    assert GENERIC_FAILURE in refused.get_data(as_text=True)
