"""A form's CSRF token expires after CSRF_TIME_LIMIT_MINUTES (60), with a message saying so.

Before, WTF_CSRF_TIME_LIMIT was None: a token copied from any page stayed good for the whole
session (up to SESSION_MAX_HOURS).
"""

from datetime import UTC, datetime, timedelta

import time_machine

from registry.config import from_environment
from registry.models import User
from tests.auth_helpers import csrf_token, login
from tests.factories import PASSWORD, make_user

START = datetime(2026, 11, 25, 8, 0, 5, tzinfo=UTC)
NEW = "violet-anchor-meadow-42"


def _change_password(client, token):
    return client.post("/account/password", data={
        "current_password": PASSWORD, "password": NEW, "confirm": NEW, "csrf_token": token})


def test_the_limit_is_an_hour_by_default(app):
    assert app.config["CSRF_TIME_LIMIT_MINUTES"] == 60
    assert app.config["WTF_CSRF_TIME_LIMIT"] == 3600


def test_a_token_older_than_the_limit_is_refused_plainly(app, client):
    user = make_user()
    with time_machine.travel(START, tick=False) as traveller:
        login(client, user)
        old_token = csrf_token(client.get("/account").get_data(as_text=True))
        for _ in range(2):  # the session stays alive meanwhile, in another tab
            traveller.shift(timedelta(minutes=25))
            assert client.get("/account").status_code == 200
        traveller.shift(timedelta(minutes=11))
        before = User.get_by_id(user.id).password_hash
        response = _change_password(client, old_token)
        assert response.status_code == 400
        page = response.get_data(as_text=True)
        assert "This form has expired" in page and "more than 60 minutes" in page
        assert "Reload the page" in page
        assert User.get_by_id(user.id).password_hash == before
        fresh = csrf_token(client.get("/account").get_data(as_text=True))
        assert _change_password(client, fresh).status_code == 302


def test_a_token_inside_the_limit_is_accepted(app, client):
    user = make_user()
    with time_machine.travel(START, tick=False) as traveller:
        login(client, user)
        token = csrf_token(client.get("/account").get_data(as_text=True))
        traveller.shift(timedelta(minutes=29))
        assert _change_password(client, token).status_code == 302


def test_the_limit_follows_the_configuration(app, client):
    app.config["WTF_CSRF_TIME_LIMIT"] = 10 * 60
    user = make_user()
    with time_machine.travel(START, tick=False) as traveller:
        page = client.get("/login").get_data(as_text=True)
        traveller.shift(timedelta(minutes=11))
        response = client.post("/login", data={"email": user.email, "password": PASSWORD,
                                               "csrf_token": csrf_token(page)})
    assert response.status_code == 400
    assert "more than 10 minutes" in response.get_data(as_text=True)


def test_a_wrong_token_keeps_the_generic_page(app, client):
    client.get("/login")
    response = client.post("/login", data={"email": "a@example.test", "password": "x",
                                           "csrf_token": "wrong"})
    assert response.status_code == 400
    assert "Bad request" in response.get_data(as_text=True)
    assert "expired" not in response.get_data(as_text=True)


def test_the_limit_is_set_by_an_environment_variable():
    parsed = from_environment({"REGISTRY_CSRF_TIME_LIMIT_MINUTES": "15"})
    assert parsed["CSRF_TIME_LIMIT_MINUTES"] == 15
