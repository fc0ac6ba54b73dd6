"""Sign-in in a real browser: invitation, enrolment by QR code, recovery codes, account, logout."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import expect

from registry.auth import totp
from tests.e2e.conftest import TABLET, screenshot, sign_in
from tests.factories import make_user

pytestmark = pytest.mark.e2e
PASSWORD = "violet-anchor-meadow-42"


def test_new_admin_follows_the_invitation_enrols_and_signs_out(live_server, page, tmp_path):
    result = live_server.app.test_cli_runner().invoke(
        args=["users", "create", "--email", "first.admin@example.test", "--role", "admin"])
    assert result.exit_code == 0, result.output
    link = re.search(r"(/invitation/\S+)", result.output).group(1)

    page.goto(live_server.at(link))
    screenshot(page, "auth-invitation")
    page.get_by_label("New password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat the new password").fill(PASSWORD)
    page.get_by_role("button", name="Set password and continue").click()
    page.wait_for_url("**/mfa/enroll")
    screenshot(page, "auth-enroll")
    screenshot(page, "auth-enroll-tablet", viewport=TABLET)

    qr_png = tmp_path / "qr.png"
    page.locator("svg.qr-code").screenshot(path=str(qr_png))
    uri = zxingcpp.read_barcodes(Image.open(qr_png))[0].text
    secret = parse_qs(urlsplit(uri).query)["secret"][0]
    assert urlsplit(uri).scheme == "otpauth"
    assert page.locator("#totp-secret").inner_text().replace(" ", "") == secret

    page.get_by_label("Six-digit code").fill(totp.code_at_step(secret, totp.current_step()))
    page.get_by_role("button", name="Activate").click()
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    screenshot(page, "auth-recovery-codes")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download as text").click()
    saved = tmp_path / "codes.txt"
    download.value.save_as(saved)
    assert len(re.findall(r"^[a-z2-9]{5}-[a-z2-9]{5}$", saved.read_text(), re.M)) == 10

    page.get_by_role("link", name="I have saved them").click()
    expect(page.locator("#recovery-codes")).to_have_count(0)
    page.goto(live_server.at("/account"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    screenshot(page, "auth-account")
    page.goto(live_server.at("/admin/users"))
    expect(page.get_by_text("first.admin@example.test").first).to_be_visible()
    screenshot(page, "admin-users")

    page.locator("details.user-menu summary").click()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/login")
    expect(page.get_by_text("You have signed out.")).to_be_visible()
    page.goto(live_server.at("/account"))
    assert "/login" in page.url


def test_sign_in_pages_and_errors_look_finished(live_server, page):
    page.goto(live_server.at("/login"))
    page.get_by_label("E-mail address").fill("nobody@example.test")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("not right")).to_be_visible()
    screenshot(page, "auth-login-error")
    page.goto(live_server.at("/no-such-page"))
    screenshot(page, "errors-404")


def test_admin_user_page(live_server, page):
    admin = make_user("admin")
    target = make_user("legal")
    sign_in(page, live_server, admin)
    page.goto(live_server.at(f"/admin/users/{target.id}"))
    page.get_by_text("Deactivate…").click()
    screenshot(page, "admin-user")
    page.goto(live_server.at("/admin/users/invite"))
    page.get_by_role("button", name="Send invitation").click()
    expect(page.locator(".field__error").first).to_be_visible()
    screenshot(page, "admin-invite-errors")
