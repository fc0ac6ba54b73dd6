"""Signing in through the pages: both steps, replays, throttling, recovery codes, redirects."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from registry.auth import operations, totp
from registry.models import AuditEvent, User
from tests.auth_helpers import csrf_token, login, login_form, post_form
from tests.factories import PASSWORD, make_user, totp_code_for

START = datetime(2026, 11, 25, 9, 0, 10, tzinfo=UTC)


def _password_step(client, user, next_url=None):
    url = "/login" + (f"?next={next_url}" if next_url else "")
    page = client.get(url)
    response = client.post(url, data={"email": user.email, "password": PASSWORD,
                                      "csrf_token": csrf_token(page.get_data(as_text=True))})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return response


def _code_step(client, code):
    return post_form(client, "/login/totp", {"code": code})


def assert_refused(response):
    """The sign-in form came back with the one message that names no reason."""
    assert response.status_code == 200
    assert "e-mail address or password is not right" in response.get_data(as_text=True)


def assert_account_page(client, user):
    """`client` is signed in as `user`: the account page answers and names them."""
    page = client.get("/account")
    assert page.status_code == 200 and user.email in page.get_data(as_text=True)


def _actions():
    return [event.action for event in AuditEvent.select().order_by(AuditEvent.id)]


def test_full_sign_in_lands_on_the_start_page_and_is_audited(app, client):
    user = make_user("legal")
    assert _password_step(client, user).headers["Location"] == "/login/totp"
    response = _code_step(client, totp_code_for(user))
    assert response.status_code == 302
    landing = client.get(response.headers["Location"])
    assert landing.status_code == 200 and "Sign out" in landing.get_data(as_text=True)
    assert "auth.login_succeeded" in _actions()
    assert User.get_by_id(user.id).last_login_at is not None


def test_unknown_email_and_wrong_password_give_the_same_page(app, make_client):
    user = make_user()
    unknown = login_form(make_client(), "nobody@example.test", PASSWORD)
    wrong = login_form(make_client(), user.email, PASSWORD + "x")
    assert unknown.status_code == wrong.status_code == 200
    body = lambda response: response.get_data(as_text=True).split('name="csrf_token"')[0]  # noqa: E731
    assert body(unknown).replace("nobody@example.test", "") == \
        body(wrong).replace(user.email, "")
    assert "not right" in wrong.get_data(as_text=True)
    assert "not right" in unknown.get_data(as_text=True)


def test_login_without_totp_reaches_nothing(app, client):
    user = make_user("admin")
    _password_step(client, user)
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.arguments or rule.endpoint == "static":
            continue
        response = client.get(rule.rule)
        if rule.endpoint in {"auth.totp_step", "auth.recovery_step"}:
            assert response.status_code == 200
            continue
        if rule.rule.startswith("/api/"):
            # The API reads no session: a half-signed-in browser is as anonymous as any other.
            assert response.status_code in {401, 200}, rule.rule
            assert user.email not in response.get_data(as_text=True), rule.rule
            continue
        assert response.status_code in {302, 200, 404}, rule.rule
        if response.status_code == 200:  # public pages only (login, health, forgot password)
            assert user.email not in response.get_data(as_text=True), rule.rule
        else:
            location = response.headers.get("Location", "")
            assert response.status_code == 404 or location.startswith("/login"), (rule, location)


def test_totp_step_without_password_step_is_refused(app, client):
    user = make_user()
    response = client.get("/login/totp")
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    page = client.get("/login")
    response = client.post("/login/totp", data={
        "code": totp_code_for(user), "csrf_token": csrf_token(page.get_data(as_text=True))})
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert client.get("/account").status_code == 302
    assert User.get_by_id(user.id).totp_last_step == 0


def test_same_code_twice_is_refused_and_the_user_is_warned(app, make_client, outbox):
    user = make_user()
    code = totp_code_for(user)
    first, second = make_client(), make_client()
    _password_step(first, user)
    _password_step(second, user)
    assert _code_step(first, code).status_code == 302
    response = _code_step(second, code)
    assert response.status_code == 200
    assert "used already" in response.get_data(as_text=True)
    assert second.get("/account").status_code == 302
    assert "auth.totp_replayed" in _actions()
    warnings = [m for m in outbox() if "used twice" in m["Subject"]]
    assert [m["To"] for m in warnings] == [user.email]


def test_ten_parallel_requests_with_one_valid_code_give_exactly_one_success(app, make_client):
    user = make_user()
    clients = [make_client() for _ in range(10)]
    tokens = []
    for client in clients:
        _password_step(client, user)
        tokens.append(csrf_token(client.get("/login/totp").get_data(as_text=True)))
    code = totp_code_for(user)
    barrier = threading.Barrier(len(clients))
    statuses = [None] * len(clients)

    def attempt(index):
        barrier.wait()
        response = clients[index].post("/login/totp",
                                       data={"code": code, "csrf_token": tokens[index]})
        statuses[index] = response.status_code

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(statuses) == [200] * 9 + [302]
    assert _actions().count("auth.login_succeeded") == 1


@pytest.mark.parametrize("code", ["１２３４５６", "123 456", "12345", "x" * 10_000, "٣٣٣٣٣٣"])
def test_malformed_codes_get_a_normal_error(app, client, code):
    user = make_user()
    _password_step(client, user)
    response = _code_step(client, code)
    assert response.status_code == 200
    assert "6 digits" in response.get_data(as_text=True)
    assert client.get("/account").status_code == 302


def test_full_width_digits_of_the_right_code_are_refused(app, client):
    user = make_user()
    _password_step(client, user)
    right = totp_code_for(user)
    full_width = "".join(chr(0xFF10 + int(digit)) for digit in right)
    refused = _code_step(client, full_width)
    assert refused.status_code == 200 and "6 digits" in refused.get_data(as_text=True)
    assert _code_step(client, right).status_code == 302


def test_throttling_refuses_a_correct_code_during_the_delay_then_lets_in(app, client):
    user = make_user()
    with time_machine.travel(START, tick=False) as traveller:
        _password_step(client, user)
        for _ in range(operations.THROTTLE_AFTER):
            wrong = _code_step(client, "000000" if totp_code_for(user) != "000000" else "111111")
            assert wrong.status_code == 200 and "not right" in wrong.get_data(as_text=True)
        assert User.get_by_id(user.id).locked_until is not None
        traveller.shift(timedelta(seconds=5))
        response = _code_step(client, totp_code_for(user))
        assert response.status_code == 200
        assert "Too many failed attempts" in response.get_data(as_text=True)
        assert client.get("/account").status_code == 302
        traveller.shift(operations.throttle_delay(operations.THROTTLE_AFTER))
        response = _code_step(client, totp_code_for(user))
        assert response.status_code == 302
        assert_account_page(client, user)
    assert User.get_by_id(user.id).failed_attempts == 0
    assert {"auth.throttled", "auth.login_failed"} <= set(_actions())


def test_password_throttle_refuses_the_right_password_during_the_delay(app, make_client):
    user = make_user()
    with time_machine.travel(START, tick=False) as traveller:
        for _ in range(operations.THROTTLE_AFTER):
            assert_refused(login_form(make_client(), user.email, "wrong password!!"))
        assert_refused(login_form(make_client(), user.email, PASSWORD))
        traveller.shift(timedelta(seconds=31))
        assert login_form(make_client(), user.email, PASSWORD).status_code == 302


def test_delay_grows_exponentially_and_is_capped():
    delays = [operations.throttle_delay(n).total_seconds() for n in range(4, 12)]
    assert delays[:4] == [0, 30, 60, 120]
    assert operations.throttle_delay(60) == timedelta(hours=1)


def test_recovery_code_works_once(app, make_client, outbox):
    user = make_user()
    codes = operations.regenerate_recovery_codes(user)
    assert len(codes) == 10 and len(set(codes)) == 10
    first = make_client()
    _password_step(first, user)
    response = post_form(first, "/login/recovery", {"code": codes[3].upper()})
    assert response.status_code == 302
    assert_account_page(first, user)
    second = make_client()
    _password_step(second, user)
    response = post_form(second, "/login/recovery", {"code": codes[3]})
    assert response.status_code == 200 and "not valid" in response.get_data(as_text=True)
    assert operations.remaining_recovery_codes(user) == 9
    assert "auth.recovery_code_used" in _actions()
    assert any("recovery code was used" in m["Subject"] for m in outbox())


def test_regenerating_recovery_codes_invalidates_the_old_set(app, make_client):
    user = make_user()
    old = operations.regenerate_recovery_codes(user)
    operations.regenerate_recovery_codes(user)
    client = make_client()
    _password_step(client, user)
    refused = post_form(client, "/login/recovery", {"code": old[0]})
    assert refused.status_code == 200 and "not valid" in refused.get_data(as_text=True)
    assert client.get("/account").status_code == 302


@pytest.mark.parametrize("target", [
    "https://evil.example", "//evil.example", "/\\evil.example", "https:/evil.example",
    "javascript:alert(1)", "/%0d%0aSet-Cookie:x=1",
])
def test_next_outside_the_site_goes_home(app, client, target):
    user = make_user("legal")
    _password_step(client, user, next_url=target)
    response = _code_step(client, totp_code_for(user))
    location = response.headers["Location"]
    landing = "/dashboard" if "dashboard.show_dashboard" in app.view_functions else "/home"
    assert location == landing, location


def test_next_inside_the_site_is_followed(app, client):
    user = make_user("legal")
    response = client.get("/account")
    assert response.headers["Location"] == "/login?next=/account"
    _password_step(client, user, next_url="/account")
    assert _code_step(client, totp_code_for(user)).headers["Location"] == "/account"


def test_deactivated_user_cannot_sign_in(app, client):
    user = make_user(is_active=False)
    assert_refused(login_form(client, user.email, PASSWORD))
    assert client.get("/login/totp").headers["Location"] == "/login"


def test_helper_signs_in_twice_within_one_step(app, make_client):
    user = make_user()
    login(make_client(), user)
    login(make_client(), user)
    assert totp.current_step() - 1 <= User.get_by_id(user.id).totp_last_step
