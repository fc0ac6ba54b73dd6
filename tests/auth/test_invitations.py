"""Invitations, password resets and first-time enrolment (QR code, key, recovery codes)."""

import re
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
import time_machine
import zxingcpp
from PIL import Image, ImageDraw

from registry.auth import accounts, totp
from registry.models import AuditEvent, Invitation, User
from tests.auth_helpers import csrf_token, login_form, post_form
from tests.factories import PASSWORD, make_user, totp_code_for

START = datetime(2026, 11, 25, 10, 0, 0, tzinfo=UTC)
NEW_PASSWORD = "violet-anchor-meadow-42"


def _invite(email="new.person@example.test", role="legal"):
    user, token = accounts.create_user(email, role, actor="cli")
    return user, token


def _accept(client, token, password=NEW_PASSWORD):
    return post_form(client, f"/invitation/{token}", {"password": password,
                                                      "confirm": password})


def _qr_payload(svg):
    """Decode the QR code of segno's inline SVG the way a phone camera would."""
    scale = 10
    size = int(re.search(r'viewBox="0 0 (\d+) \d+"', svg).group(1)) // 5 * scale
    image = Image.new("L", (size, size), 255)
    draw = ImageDraw.Draw(image)
    path = re.search(r' d="([^"]+)"', svg).group(1)
    x = y = 0.0
    for command, a, b in re.findall(r"([Mmh])(-?[\d.]+)(?:\s+(-?[\d.]+))?", path):
        if command == "M":
            x, y = float(a), float(b)
        elif command == "m":
            x, y = x + float(a), y + float(b or 0)
        else:
            length = float(a)
            draw.rectangle([x * scale, (y - 0.5) * scale, (x + length) * scale - 1,
                            (y + 0.5) * scale - 1], fill=0)
            x += length
    results = zxingcpp.read_barcodes(image)
    assert results, "no QR code found"
    return results[0].text


def test_invitation_leads_to_password_then_enrolment_then_the_start_page(app, client):
    user, token = _invite()
    page = client.get(f"/invitation/{token}")
    assert page.status_code == 200 and user.email in page.get_data(as_text=True)
    response = _accept(client, token)
    assert response.status_code == 302 and response.headers["Location"] == "/mfa/enroll"
    assert client.get("/account").status_code == 302  # nothing but enrolment yet
    enrol_page = client.get("/mfa/enroll").get_data(as_text=True)
    shown_key = re.search(r'id="totp-secret"><code>([A-Z2-7 ]+)</code>', enrol_page).group(1)
    secret = shown_key.replace(" ", "")
    uri = _qr_payload(enrol_page[enrol_page.index("<svg"):enrol_page.index("</svg>") + 6])
    parts = urlsplit(uri)
    assert parts.scheme == "otpauth" and parts.netloc == "totp"
    assert unquote(parts.path) == "/dpa-registry:new.person@example.test"
    assert parse_qs(parts.query)["secret"] == [secret]
    assert parse_qs(parts.query)["issuer"] == ["dpa-registry"]
    assert User.get_by_id(user.id).totp_enabled_at is None
    code = totp.code_at_step(secret, totp.current_step())
    response = post_form(client, "/mfa/enroll", {"code": code})
    assert response.status_code == 200
    codes = re.findall(r"<li><code>([a-z2-9]{5}-[a-z2-9]{5})</code></li>",
                       response.get_data(as_text=True))
    assert len(codes) == 10
    assert User.get_by_id(user.id).totp_enabled_at is not None
    assert client.get("/account").status_code == 200
    actions = {event.action for event in AuditEvent.select()}
    assert {"user.created", "user.invited", "user.invitation_accepted",
            "auth.mfa_enrolled", "auth.login_succeeded"} <= actions


def test_invitation_link_works_once(app, make_client):
    _user, token = _invite()
    assert _accept(make_client(), token).status_code == 302
    second = make_client()
    assert second.get(f"/invitation/{token}").status_code == 404
    token_field = csrf_token(second.get("/login").get_data(as_text=True))
    response = second.post(f"/invitation/{token}", data={
        "password": "another-pass-phrase-9", "confirm": "another-pass-phrase-9",
        "csrf_token": token_field})
    assert response.status_code == 404


def test_invitation_expires_after_72_hours(app, client):
    with time_machine.travel(START, tick=False) as traveller:
        _user, token = _invite()
        traveller.shift(timedelta(hours=71, minutes=59))
        assert client.get(f"/invitation/{token}").status_code == 200
        traveller.shift(timedelta(minutes=2))
        assert client.get(f"/invitation/{token}").status_code == 404


def test_invitation_token_is_stored_only_hashed(app):
    _user, token = _invite()
    stored = Invitation.get()
    assert token not in stored.token_hash and len(stored.token_hash) == 64


def test_new_invitation_replaces_the_old_link(app, client):
    user, old = _invite()
    new = accounts.reinvite(user, "cli")
    assert client.get(f"/invitation/{old}").status_code == 404
    assert client.get(f"/invitation/{new}").status_code == 200


def test_invitation_password_must_follow_the_policy(app, client):
    _user, token = _invite()
    response = _accept(client, token, "password1234")
    assert response.status_code == 200 and "commonly used" in response.get_data(as_text=True)
    assert client.get(f"/invitation/{token}").status_code == 200  # still unused


def test_wrong_enrolment_code_does_not_activate(app, client):
    user, token = _invite()
    _accept(client, token)
    client.get("/mfa/enroll")
    response = post_form(client, "/mfa/enroll", {"code": "000000"})
    assert response.status_code == 200
    assert User.get_by_id(user.id).totp_enabled_at is None


def test_enrolment_needs_the_password_step(app, client):
    response = client.get("/mfa/enroll")
    assert response.status_code == 302 and response.headers["Location"] == "/login"


def test_password_reset_link_never_bypasses_totp(app, client, outbox):
    user = make_user()
    response = post_form(client, "/password/forgot", {"email": user.email.upper()})
    assert response.status_code == 302
    link = re.search(r"http://registry\.test(/password/reset/\S+)",
                     outbox()[-1].get_body(("plain",)).get_content()).group(1)
    response = post_form(client, link, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/login/totp"
    assert client.get("/account").status_code == 302
    assert post_form(client, "/login/totp", {"code": totp_code_for(user)}).status_code == 302
    assert client.get("/account").status_code == 200
    assert client.get(link).status_code == 404  # single use


def test_password_reset_request_answers_the_same_for_unknown_addresses(app, client, outbox):
    response = post_form(client, "/password/forgot", {"email": "nobody@example.test"})
    assert response.status_code == 302
    assert outbox() == []


def test_password_reset_link_expires_after_an_hour(app, client):
    user = make_user()
    with time_machine.travel(START, tick=False) as traveller:
        token = accounts.new_link(user, "password_reset")
        traveller.shift(timedelta(minutes=61))
        assert client.get(f"/password/reset/{token}").status_code == 404


@pytest.mark.parametrize("purpose_url", ["/invitation/", "/password/reset/"])
def test_a_link_of_one_purpose_does_not_open_the_other(app, client, purpose_url):
    user = make_user(password=None, enrolled=False)
    token = accounts.new_link(user, "password_reset" if "invitation" in purpose_url
                              else "invitation")
    assert client.get(purpose_url + token).status_code == 404


def test_first_sign_in_with_password_only_account_goes_to_enrolment(app, client):
    user = make_user(enrolled=False)
    response = login_form(client, user.email, PASSWORD)
    assert response.headers["Location"] == "/mfa/enroll"
    assert client.get("/login/totp").status_code == 302
    assert client.get("/mfa/enroll").status_code == 200
    page = client.get("/login")
    assert csrf_token(page.get_data(as_text=True))
