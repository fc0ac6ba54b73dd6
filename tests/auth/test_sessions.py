"""Server-side sessions: logout, replayed cookies, new ids, timeouts, ending other sessions."""

from datetime import UTC, datetime, timedelta

import time_machine

from registry.auth import sessions
from registry.models import AuditEvent, User, UserSession
from tests.auth_helpers import csrf_token, login, post_form
from tests.factories import PASSWORD, make_user, totp_code_for

START = datetime(2026, 11, 25, 8, 0, 5, tzinfo=UTC)
COOKIE = "dpa_session"


def _cookie(client):
    cookie = client.get_cookie(COOKIE)
    return cookie.value if cookie else None


def test_cookie_holds_only_a_random_id_stored_hashed(app, client):
    user = make_user()
    login(client, user)
    value = _cookie(client)
    assert len(value) >= 40 and user.email not in value and "." not in value
    row = UserSession.get(UserSession.token_hash == sessions.token_hash(value))
    assert row.user_id == user.id and row.mfa_completed_at is not None
    assert UserSession.get_or_none(UserSession.token_hash == value) is None


def test_new_session_id_after_the_password_step_and_after_the_totp_step(app, client):
    user = make_user()
    page = client.get("/login")
    anonymous = _cookie(client)
    client.post("/login", data={"email": user.email, "password": PASSWORD,
                                "csrf_token": csrf_token(page.get_data(as_text=True))})
    after_password = _cookie(client)
    post_form(client, "/login/totp", {"code": totp_code_for(user)})
    after_totp = _cookie(client)
    assert len({anonymous, after_password, after_totp}) == 3
    assert sessions.is_visitor_cookie(anonymous)  # signed data, nothing stored for it
    row = UserSession.get(UserSession.token_hash == sessions.token_hash(after_password))
    assert row.ended_at is not None
    assert UserSession.select().count() == 2


def test_logout_then_replaying_the_old_cookie_is_anonymous(app, make_client):
    user = make_user()
    client = login(make_client(), user)
    old = _cookie(client)
    assert client.get("/account").status_code == 200
    response = post_form(client, "/logout", {}, page_url="/account")
    assert response.status_code == 302
    replay = make_client()
    replay.set_cookie(COOKIE, old)
    response = replay.get("/account")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_logout_is_post_only(app, client):
    login(client, make_user())
    assert client.get("/logout").status_code == 405
    assert client.get("/account").status_code == 200


def test_password_change_ends_other_sessions(app, make_client):
    user = make_user()
    laptop, phone = login(make_client(), user), login(make_client(), user)
    before = User.get_by_id(user.id).password_hash
    new_password = "violet-anchor-meadow-42"
    response = post_form(laptop, "/account/password", {
        "current_password": PASSWORD, "password": new_password, "confirm": new_password,
    }, page_url="/account")
    assert response.status_code == 302
    assert laptop.get("/account").status_code == 200
    assert phone.get("/account").status_code == 302
    assert User.get_by_id(user.id).password_hash != before
    assert "auth.password_changed" in [e.action for e in AuditEvent.select()]


def test_password_change_needs_the_current_password_and_the_policy(app, client):
    user = make_user()
    login(client, user)
    before = User.get_by_id(user.id).password_hash
    wrong = post_form(client, "/account/password", {
        "current_password": "not my password", "password": "violet-anchor-meadow-42",
        "confirm": "violet-anchor-meadow-42"}, page_url="/account")
    weak = post_form(client, "/account/password", {
        "current_password": PASSWORD, "password": "password1234", "confirm": "password1234"},
        page_url="/account")
    assert wrong.status_code == weak.status_code == 400
    assert "not your current password" in wrong.get_data(as_text=True)
    assert "commonly used" in weak.get_data(as_text=True)
    assert User.get_by_id(user.id).password_hash == before


def test_user_sees_sessions_and_ends_one(app, make_client):
    user = make_user()
    laptop, phone = login(make_client(), user), login(make_client(), user)
    page = laptop.get("/account").get_data(as_text=True)
    assert page.count("/account/sessions/") >= 1 and "This session" in page
    phone_row = UserSession.get(UserSession.token_hash == sessions.token_hash(_cookie(phone)))
    response = post_form(laptop, f"/account/sessions/{phone_row.id}/end", {},
                         page_url="/account")
    assert response.status_code == 302
    assert phone.get("/account").status_code == 302
    assert laptop.get("/account").status_code == 200


def test_cannot_end_someone_elses_session(app, make_client):
    owner, other = make_user(), make_user()
    owner_client = login(make_client(), owner)
    other_client = login(make_client(), other)
    row = UserSession.get(UserSession.token_hash == sessions.token_hash(_cookie(owner_client)))
    response = post_form(other_client, f"/account/sessions/{row.id}/end", {},
                         page_url="/account")
    assert response.status_code == 404
    assert owner_client.get("/account").status_code == 200


def test_idle_timeout(app, client):
    user = make_user()
    with time_machine.travel(START, tick=False) as traveller:
        login(client, user)
        for _ in range(3):
            traveller.shift(timedelta(minutes=29))
            assert client.get("/account").status_code == 200
        traveller.shift(timedelta(minutes=31))
        assert client.get("/account").status_code == 302


def test_absolute_timeout(app, client):
    user = make_user()
    with time_machine.travel(START, tick=False) as traveller:
        login(client, user)
        for _ in range(11 * 60 // 25):
            traveller.shift(timedelta(minutes=25))
            assert client.get("/account").status_code == 200
        traveller.shift(timedelta(hours=12) - timedelta(minutes=25 * (11 * 60 // 25)) +
                        timedelta(minutes=1))
        assert client.get("/account").status_code == 302


def test_timeouts_follow_the_configuration(app, client):
    app.config["SESSION_IDLE_MINUTES"] = 5
    user = make_user()
    with time_machine.travel(START, tick=False) as traveller:
        login(client, user)
        traveller.shift(timedelta(minutes=6))
        assert client.get("/account").status_code == 302


def test_secure_cookie_attributes(app, client):
    app.config["SECURE_COOKIES"] = True
    response = client.get("/login")
    header = response.headers["Set-Cookie"]
    assert header.startswith("__Host-dpa_session=")
    for attribute in ("Secure", "HttpOnly", "Path=/", "SameSite=Lax"):
        assert attribute in header
    assert "Domain" not in header and "Expires" not in header


def test_https_base_url_makes_cookies_secure_by_default(app):
    app.config["SECURE_COOKIES"] = None
    app.config["BASE_URL"] = "https://registry.example"
    assert sessions.cookie_name(app) == "__Host-dpa_session"
    app.config["BASE_URL"] = "http://127.0.0.1:5000"
    assert sessions.cookie_name(app) == "dpa_session"


def test_static_files_need_no_session(app, client):
    response = client.get("/static/css/app.css")
    assert response.status_code == 200 and "Set-Cookie" not in response.headers
    assert UserSession.select().count() == 0


def test_signed_in_user_opening_login_goes_to_the_start_page(app, client):
    login(client, make_user())
    assert client.get("/login").status_code == 302
