"""CSRF: a missing or wrong token gets 400 and changes nothing, on every form including login."""

import pytest

from registry.models import AuditEvent, User, UserSession
from tests.auth_helpers import csrf_token, login
from tests.factories import PASSWORD, make_user

NEW = "violet-anchor-meadow-42"


@pytest.mark.parametrize("token", [None, "", "wrong-token", "IjAwMCI.AAAAAA.AAAAAAAAAAAAAAAA"])
def test_login_without_a_valid_token_is_refused(app, client, token):
    user = make_user()
    client.get("/login")
    data = {"email": user.email, "password": PASSWORD}
    if token is not None:
        data["csrf_token"] = token
    response = client.post("/login", data=data)
    assert response.status_code == 400
    assert "Bad request" in response.get_data(as_text=True)
    assert UserSession.select().where(UserSession.user == user).count() == 0
    assert [event.action for event in AuditEvent.select()] == ["security.csrf_refused"]


@pytest.mark.parametrize("token", [None, "wrong-token"])
def test_password_change_without_a_valid_token_changes_nothing(app, client, token):
    user = make_user()
    login(client, user)
    before = User.get_by_id(user.id).password_hash
    data = {"current_password": PASSWORD, "password": NEW, "confirm": NEW}
    if token:
        data["csrf_token"] = token
    assert client.post("/account/password", data=data).status_code == 400
    assert User.get_by_id(user.id).password_hash == before


def test_token_of_another_session_is_refused(app, make_client):
    victim, attacker = make_client(), make_client()
    user = make_user()
    login(victim, user)
    attacker_token = csrf_token(attacker.get("/login").get_data(as_text=True))
    response = victim.post("/logout", data={"csrf_token": attacker_token})
    assert response.status_code == 400
    assert victim.get("/account").status_code == 200


def test_logout_without_token_keeps_the_session(app, client):
    login(client, make_user())
    assert client.post("/logout").status_code == 400
    assert client.get("/account").status_code == 200
