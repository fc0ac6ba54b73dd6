"""Anonymous requests store nothing on the server: no UserSession row before the password step.

Before, every GET /login from a new client inserted a row (to keep the form's CSRF token), so a
loop of anonymous requests could grow the table without bound.
"""

from datetime import timedelta

from registry.auth import sessions
from registry.models import UserSession
from tests.auth_helpers import csrf_token, login, login_form, post_form
from tests.factories import PASSWORD, make_user


def _cookie(client):
    cookie = client.get_cookie("dpa_session")
    return cookie.value if cookie else None


def test_anonymous_login_pages_insert_no_rows(app, make_client):
    for _ in range(5):
        assert make_client().get("/login").status_code == 200
    client = make_client()
    for url in ("/login", "/login", "/password/forgot", "/account"):
        client.get(url)
    assert UserSession.select().count() == 0


def test_failed_passwords_insert_no_rows(app, client):
    user = make_user()
    for password in ("wrong password one", "wrong password two"):
        response = login_form(client, user.email, password)
        assert response.status_code == 200
    response = login_form(client, "nobody@example.test", PASSWORD)
    assert response.status_code == 200
    assert UserSession.select().count() == 0


def test_the_login_form_still_works_and_the_row_comes_with_the_password(app, client):
    user = make_user()
    response = login_form(client, user.email, PASSWORD)
    assert response.status_code == 302
    rows = list(UserSession.select())
    assert [row.user_id for row in rows] == [user.id]
    assert rows[0].token_hash == sessions.token_hash(_cookie(client))


def test_a_forged_visitor_cookie_is_ignored(app, client):
    page = client.get("/login").get_data(as_text=True)
    value = _cookie(client)
    head, _, signature = value.rpartition(".")
    client.set_cookie("dpa_session", f"{head}.{signature[::-1]}")
    user = make_user()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD,
                                           "csrf_token": csrf_token(page)})
    assert response.status_code == 400  # the CSRF token no longer has its session
    assert UserSession.select().count() == 0


def test_a_visitor_session_expires_after_the_idle_time(app, client, clock):
    page = client.get("/login").get_data(as_text=True)
    clock.advance(timedelta(minutes=app.config["SESSION_IDLE_MINUTES"] + 1))
    user = make_user()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD,
                                           "csrf_token": csrf_token(page)})
    assert response.status_code == 400
    assert UserSession.select().count() == 0


def test_signing_out_leaves_no_anonymous_row(app, client):
    user = make_user()
    login(client, user)
    response = post_form(client, "/logout", {}, page_url="/account")
    assert response.status_code == 302
    assert "You have signed out" in client.get("/login").get_data(as_text=True)
    assert UserSession.select().where(UserSession.user.is_null()).count() == 0
    assert UserSession.select().where(UserSession.ended_at.is_null()).count() == 0
