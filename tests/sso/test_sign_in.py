"""OpenID Connect sign-in against a real provider on loopback (tests/sso/conftest.py)."""

import dataclasses
from datetime import timedelta
from urllib.parse import parse_qs, urlencode, urlsplit

from registry import create_app
from registry.auth import sessions
from registry.clock import FixedClock, system_clock, use_clock
from registry.extensions import database
from registry.models import AuditEvent, User, UserSession
from tests.auth_helpers import _fresh_code, csrf_token, login_form, post_form
from tests.conftest import base_config
from tests.factories import PASSWORD, make_user
from tests.sso.conftest import oidc_config, sign_in_at_provider, start_sign_in


def _events(action):
    return list(AuditEvent.select().where(AuditEvent.action == action)
                .order_by(AuditEvent.id))


def _refusal(reason):
    return [event for event in _events("security.sso_refused")
            if f'"reason": "{reason}"' in event.details]


def _signed_in(client):
    return client.get("/dashboard").status_code == 200


def _follow_to_login(client, response):
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/login"), response.headers["Location"]
    return client.get("/login").get_data(as_text=True)


def test_mfa_at_the_provider_signs_in_without_totp(app, make_client):
    user = make_user("legal", email="alice@example.test")
    client = make_client()
    client.get("/login")
    response = client.get(sign_in_at_provider(start_sign_in(client), "alice"))
    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == "/dashboard"
    assert _signed_in(client)
    [event] = _events("auth.login_succeeded")
    assert event.object_id == str(user.id) and '"mfa_by_provider": true' in event.details
    row = UserSession.get(UserSession.user == user)
    assert row.mfa_completed_at is not None and row.ended_at is None


def test_acr_in_the_configured_list_counts_as_mfa(app, make_client):
    make_user("auditor", email="carol@example.test")
    client = make_client()
    response = client.get(sign_in_at_provider(start_sign_in(client), "carol"))
    assert urlsplit(response.headers["Location"]).path != "/login/totp"
    assert _signed_in(client)


def test_without_mfa_at_the_provider_the_totp_step_is_still_asked(app, make_client):
    user = make_user("legal", email="bob@example.test")  # the token says Bob@Example.test
    client = make_client()
    response = client.get(sign_in_at_provider(start_sign_in(client), "bob"))
    assert response.headers["Location"].endswith("/login/totp")
    assert not _signed_in(client)
    [accepted] = _events("auth.factor_accepted")
    assert '"factor": "oidc"' in accepted.details
    response = post_form(client, "/login/totp", {"code": _fresh_code(user)})
    assert response.status_code == 302
    assert _signed_in(client)


def test_untrusted_provider_mfa_still_asks_for_totp(app, make_client):
    app.extensions["oidc"] = dataclasses.replace(app.extensions["oidc"], trust_mfa=False)
    make_user("legal", email="alice@example.test")
    client = make_client()
    response = client.get(sign_in_at_provider(start_sign_in(client), "alice"))
    assert response.headers["Location"].endswith("/login/totp")


def test_a_forged_state_is_refused(app, make_client):
    make_user("legal", email="alice@example.test")
    client = make_client()
    callback = sign_in_at_provider(start_sign_in(client), "alice")
    parts = urlsplit(callback)
    query = {key: values[0] for key, values in parse_qs(parts.query).items()}
    query["state"] = "forged-" + query["state"]
    page = _follow_to_login(client, client.get(f"{parts.path}?{urlencode(query)}"))
    assert "was not started here" in page
    assert not _signed_in(client)
    assert _refusal("state")


def test_an_answer_is_accepted_once(app, make_client):
    make_user("legal", email="alice@example.test")
    client = make_client()
    callback = sign_in_at_provider(start_sign_in(client), "alice")
    assert client.get(callback).status_code == 302 and _signed_in(client)
    other = make_client()  # another browser replaying the same answer has no attempt
    _follow_to_login(other, other.get(callback))
    assert not _signed_in(other)
    assert _refusal("state")


def test_a_wrong_nonce_is_refused(app, make_client):
    make_user("legal", email="alice@example.test")
    client = make_client()
    authorization_url = start_sign_in(client)
    with client.session_transaction() as session:
        session["oidc_attempt"] = {**session["oidc_attempt"], "nonce": "not-the-one-sent"}
    page = _follow_to_login(client, client.get(sign_in_at_provider(authorization_url, "alice")))
    assert "could not be verified" in page
    assert not _signed_in(client)
    [refusal] = _refusal("id_token")
    assert "nonce" in refusal.details


def test_an_expired_id_token_is_refused(app, make_client):
    make_user("legal", email="alice@example.test")
    client = make_client()
    callback = sign_in_at_provider(start_sign_in(client), "alice")
    # The provider's ID tokens live 600 s; the registry reads time on its own clock.
    use_clock(app, FixedClock(system_clock() + timedelta(minutes=12)))
    page = _follow_to_login(client, client.get(callback))
    assert "could not be verified" in page
    [refusal] = _refusal("id_token")
    assert "exp" in refusal.details


def test_an_unverified_e_mail_address_is_refused(app, make_client):
    make_user("legal", email="alice@example.test")
    client = make_client()
    page = _follow_to_login(client, client.get(
        sign_in_at_provider(start_sign_in(client), "unverified")))
    assert "did not confirm your e-mail address" in page
    assert not _signed_in(client)
    assert _refusal("email_not_verified")


def test_an_unknown_e_mail_address_is_refused(app, make_client):
    client = make_client()
    page = _follow_to_login(client, client.get(
        sign_in_at_provider(start_sign_in(client), "stranger")))
    assert "No staff account" in page
    assert User.select().count() == 0
    assert _refusal("no_account")


def test_a_subcontractor_keeps_password_and_totp(app, make_client):
    user = make_user("subcontractor", email="sam@supplier.test")
    client = make_client()
    page = _follow_to_login(client, client.get(
        sign_in_at_provider(start_sign_in(client), "sam")))
    assert "Subcontractor accounts sign in with their e-mail address, password" in page
    assert not sessions.open_sessions(user)
    [failed] = _events("auth.login_failed")
    assert failed.object_id == str(user.id) and '"reason": "subcontractor"' in failed.details


def test_a_cancelled_sign_in_at_the_provider_shows_a_message(app, make_client):
    client = make_client()
    page = _follow_to_login(client, client.get(
        sign_in_at_provider(start_sign_in(client), "refuse")))
    assert "The sign-in was cancelled" in page
    assert _refusal("provider_error")


def test_a_paused_account_stays_paused(app, make_client):
    user = make_user("legal", email="alice@example.test")
    client = make_client()
    authorization_url = start_sign_in(client)
    # Five wrong codes from this address paused the account for a while.
    for _attempt in range(5):
        post_form(make_client(), "/login", {"email": user.email, "password": "wrong"})
    assert User.get_by_id(user.id).locked_until is not None
    page = _follow_to_login(client, client.get(sign_in_at_provider(authorization_url, "alice")))
    assert "Too many failed attempts" in page
    assert not _signed_in(client)


def test_accounts_are_made_only_when_allowed_with_a_role_from_a_claim(app, make_client):
    app.extensions["oidc"] = dataclasses.replace(
        app.extensions["oidc"], auto_create=True, role_claim="groups",
        scopes="openid email profile groups",
        role_map={"dpa-legal": "legal", "dpa-audit": "auditor"})
    client = make_client()
    client.get(sign_in_at_provider(start_sign_in(client), "stranger"))
    user = User.get(User.email == "new.auditor@example.test")
    assert (user.role, user.full_name, user.password_hash) == ("auditor", "New Auditor", None)
    assert _signed_in(client)
    [created] = _events("user.created")
    assert created.actor_label == "oidc"


def test_a_provider_that_cannot_be_reached_gives_a_message(app, make_client):
    app.extensions["oidc"] = dataclasses.replace(app.extensions["oidc"],
                                                 issuer="http://127.0.0.1:9")
    client = make_client()
    page = client.get("/login")
    response = client.post("/auth/oidc/login",
                           data={"csrf_token": csrf_token(page.get_data(as_text=True))})
    assert "sign-in service cannot be reached" in _follow_to_login(client, response)


def test_without_an_issuer_there_is_no_button_and_no_route(app, make_client):
    app.extensions["oidc"] = None
    client = make_client()
    page = client.get("/login")
    assert "Sign in with" not in page.get_data(as_text=True)
    response = client.post("/auth/oidc/login",
                           data={"csrf_token": csrf_token(page.get_data(as_text=True))})
    assert response.status_code == 404
    assert client.get("/auth/oidc/callback?state=x&code=y").status_code == 404


def test_the_sign_in_limits_per_address_cover_single_sign_on(app, tmp_path, database_url,
                                                               openid_provider):
    limited = create_app({**base_config(tmp_path, database_url), **oidc_config(openid_provider),
                          "RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": "memory://"})
    client = limited.test_client()
    with limited.app_context():
        statuses = [client.get("/auth/oidc/callback?state=guess&code=guess").status_code
                    for _ in range(11)]
        database.connect(reuse_if_open=True)
    assert statuses == [302] * 10 + [429]


def test_the_session_id_changes_and_the_page_asked_for_follows(app, make_client):
    user = make_user("legal", email="alice@example.test")
    client = make_client()
    login_form(client, user.email, PASSWORD)  # halfway through a password sign-in
    [pending] = UserSession.select().where(UserSession.user == user)
    page = client.get("/login?next=/controllers")
    response = client.post("/auth/oidc/login?next=/controllers",
                           data={"csrf_token": csrf_token(page.get_data(as_text=True))})
    response = client.get(sign_in_at_provider(response.headers["Location"], "alice"))
    assert urlsplit(response.headers["Location"]).path == "/controllers"
    assert UserSession.get_by_id(pending.id).ended_at is not None
    [current] = sessions.open_sessions(user)
    assert current.id != pending.id
