"""Personal API tokens: stored hashed, scoped below the owner's role, expiring, revocable,
audited, and refused once their owner can no longer sign in."""

import re
from datetime import timedelta

import pytest

from registry.api import tokens
from registry.api.models import ApiToken
from registry.models import AuditEvent, Subcontractor, User, utcnow
from tests.auth_helpers import csrf_token, login
from tests.factories import make_user


def test_a_token_is_stored_only_as_its_hash(app, issue_token):
    secret, user = issue_token("legal")
    row = ApiToken.get(ApiToken.user == user)
    assert secret.startswith(f"dpa_{row.prefix}_") and len(secret) > 50
    assert row.secret_hash == tokens.secret_hash(secret)
    assert all(secret not in str(value) for value in row.__data__.values())
    event = AuditEvent.get(AuditEvent.action == "api_token.created")
    assert secret not in event.details and row.prefix in event.details


def test_a_token_expires_after_90_days_by_default_and_at_most_365(app):
    user = make_user("legal")
    issued = tokens.issue(user, "default")
    assert issued.row.expires_at - issued.row.created_at == timedelta(days=90)
    with pytest.raises(tokens.TokenError, match="1 to 365"):
        tokens.issue(user, "too long", days=366)
    with pytest.raises(tokens.TokenError, match="name"):
        tokens.issue(user, "  ")


def test_read_only_roles_get_no_write_tokens(app):
    for role in ("auditor", "subcontractor"):
        with pytest.raises(tokens.TokenError, match="read tokens"):
            tokens.issue(make_user(role), "write", "write")


def test_a_good_token_opens_the_api_and_records_its_use(app, api, issue_token):
    secret, user = issue_token("auditor")
    response = api.get("/api/v1/controllers", token=secret,
                       environ_base={"REMOTE_ADDR": "198.51.100.7"})
    assert response.status_code == 200
    row = ApiToken.get(ApiToken.user == user)
    assert row.last_used_ip == "198.51.100.7" and row.last_used_at is not None


@pytest.mark.parametrize("header", [None, "Bearer", "Bearer dpa_nothing_here",
                                    "Basic dXNlcjpwYXNz", "Token {secret}", "Bearer {secret}x"])
def test_anything_but_the_exact_bearer_token_is_refused(app, api, issue_token, header):
    secret, _user = issue_token("legal")
    headers = {"Authorization": header.format(secret=secret)} if header else {}
    response = api.get("/api/v1/controllers", headers=headers)
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_expired_and_revoked_tokens_stop_working(app, api, issue_token):
    expired, user = issue_token("legal")
    ApiToken.update(expires_at=utcnow() - timedelta(seconds=1)).where(
        ApiToken.user == user).execute()
    assert api.get("/api/v1/controllers", token=expired).status_code == 401
    revoked, other = issue_token("legal")
    assert api.get("/api/v1/controllers", token=revoked).status_code == 200
    assert tokens.revoke(ApiToken.get(ApiToken.user == other), other)
    assert api.get("/api/v1/controllers", token=revoked).status_code == 401
    assert AuditEvent.select().where(AuditEvent.action == "api_token.revoked").count() == 1


def test_a_deactivated_user_or_offboarded_company_loses_its_tokens(app, api, issue_token):
    secret, user = issue_token("legal")
    User.update(is_active=False).where(User.id == user.id).execute()
    assert api.get("/api/v1/controllers", token=secret).status_code == 401
    company_secret, company_user = issue_token("subcontractor")
    assert api.get("/api/v1/subcontractors", token=company_secret).status_code == 200
    Subcontractor.update(status="offboarded").where(
        Subcontractor.id == company_user.subcontractor_id).execute()
    assert api.get("/api/v1/subcontractors", token=company_secret).status_code == 401


def test_the_role_is_the_ceiling_of_a_write_token(app, api, issue_token):
    secret, user = issue_token("legal", "write")
    body = {"name": "Ceiling Oy", "country": "SE", "privacy_contacts": ["dpo@ceiling.example"]}
    assert api.post("/api/v1/controllers", token=secret, json=body).status_code == 201
    User.update(role="auditor").where(User.id == user.id).execute()
    refused = api.post("/api/v1/controllers", token=secret, json=body)
    assert refused.status_code == 403 and refused.mimetype == "application/problem+json"
    read, _reader = issue_token("legal", "read")
    assert api.post("/api/v1/controllers", token=read, json=body).status_code == 403


def test_the_api_sets_no_cookie_and_ignores_the_session(app, api, make_client):
    browser = login(make_client(), make_user("admin"))
    response = browser.get("/api/v1/controllers")
    assert response.status_code == 401  # a signed-in browser session is not a token
    assert "Set-Cookie" not in response.headers


def test_the_token_page_shows_a_new_token_once_and_revokes_it(app, make_client):
    user = make_user("legal")
    browser = login(make_client(), user)
    page = browser.get("/account/api-tokens")
    assert page.status_code == 200 and "No tokens yet" in page.get_data(as_text=True)
    created = browser.post("/account/api-tokens", data={
        "csrf_token": csrf_token(page.get_data(as_text=True)), "name": "Nightly export",
        "scope": "write", "expires_days": "30"})
    # Post/Redirect/Get: the secret is on the page the POST redirects to, and only there.
    assert created.status_code == 302 and created.location.endswith("/account/api-tokens")
    assert "dpa_" not in created.get_data(as_text=True)
    shown = browser.get("/account/api-tokens")
    html = shown.get_data(as_text=True)
    row = ApiToken.get(ApiToken.user == user)
    assert re.search(rf"dpa_{row.prefix}_[A-Za-z0-9_-]{{20,}}", html) and row.scope == "write"
    assert shown.headers["Cache-Control"] == "no-store"
    assert row.expires_at - row.created_at == timedelta(days=30)
    again = browser.get("/account/api-tokens").get_data(as_text=True)  # a reload
    assert "Nightly export" in again
    assert not re.search(rf"dpa_{row.prefix}_[A-Za-z0-9_-]{{20,}}", again)
    assert ApiToken.select().where(ApiToken.user == user).count() == 1
    revoked = browser.post(f"/account/api-tokens/{row.id}/revoke",
                           data={"csrf_token": csrf_token(again)})
    assert revoked.status_code == 302
    assert ApiToken.get_by_id(row.id).revoked_at is not None


def test_nobody_revokes_someone_elses_token(app, make_client):
    owner = make_user("legal")
    row = tokens.issue(owner, "mine").row
    browser = login(make_client(), make_user("admin"))
    page = browser.get("/account/api-tokens").get_data(as_text=True)
    response = browser.post(f"/account/api-tokens/{row.id}/revoke",
                            data={"csrf_token": csrf_token(page)})
    assert response.status_code == 404
    assert ApiToken.get_by_id(row.id).revoked_at is None


def test_the_cli_creates_lists_and_revokes_tokens(app, runner):
    user = make_user("legal", email="cli-user@example.test")
    result = runner.invoke(args=["tokens", "create", "--email", user.email, "--name", "ci",
                                 "--scope", "write", "--expires-days", "10"])
    assert result.exit_code == 0, result.output
    secret = result.stdout.strip().splitlines()[0]
    row = ApiToken.get(ApiToken.user == user)
    assert tokens.secret_hash(secret) == row.secret_hash
    listed = runner.invoke(args=["tokens", "list"])
    assert row.prefix in listed.output and secret not in listed.output
    assert "active" in listed.output
    assert runner.invoke(args=["tokens", "revoke", row.prefix]).exit_code == 0
    assert ApiToken.get_by_id(row.id).revoked_at is not None
    refused = runner.invoke(args=["tokens", "create", "--email", user.email, "--name", "x",
                                  "--expires-days", "400"])
    assert refused.exit_code == 2 and "365" in refused.output


def test_each_token_has_its_own_rate_limit(app, database_url, tmp_path):
    from registry import create_app
    from tests.conftest import base_config

    limited = create_app({**base_config(tmp_path, database_url), "RATELIMIT_ENABLED": True,
                          "API_RATE_LIMIT": "3 per minute"})
    busy = tokens.issue(make_user("legal"), "busy").secret
    calm = tokens.issue(make_user("legal"), "calm").secret
    client = limited.test_client()

    def status(secret):
        return client.get("/api/v1/controllers", headers={"Authorization": f"Bearer {secret}"})

    assert [status(busy).status_code for _ in range(4)] == [200, 200, 200, 429]
    refused = status(busy)
    assert refused.mimetype == "application/problem+json"
    assert int(refused.headers["Retry-After"]) > 0
    assert status(calm).status_code == 200
