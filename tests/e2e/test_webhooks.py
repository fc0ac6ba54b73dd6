"""In the browser: an admin registers a webhook, keeps the secret, sends a test event and sees
it delivered; a user creates a calendar feed link. Screenshots go to test-artifacts/."""

import re

import pytest
from playwright.sync_api import expect

from registry.webhooks.delivery import deliver_due
from tests.e2e.conftest import screenshot, sign_in
from tests.factories import make_user
from tests.webhooks.conftest import receiver  # noqa: F401 - the fixture

pytestmark = pytest.mark.e2e


def test_an_admin_registers_an_endpoint_and_tests_it(live_server, page, receiver):  # noqa: F811
    live_server.app.config["WEBHOOKS_ALLOW_HTTP_LOOPBACK"] = True
    sign_in(page, live_server, make_user("admin"))
    page.get_by_role("link", name="Webhooks").first.click()
    expect(page.get_by_text("No webhook endpoints yet.")).to_be_visible()
    screenshot(page, "webhooks-empty")
    page.get_by_role("link", name="Register an endpoint").first.click()
    page.get_by_label("Receiver URL").fill(receiver.url)
    page.get_by_label("Description (optional)").fill("Ticketing system")
    page.get_by_label(re.compile("dpa.signed")).check()
    page.get_by_label(re.compile("finding.raised")).check()
    screenshot(page, "webhooks-form")
    page.get_by_role("button", name="Register endpoint").click()
    receiver.secret = page.locator("#webhook-secret code").inner_text()
    assert receiver.secret.startswith("whsec_")
    screenshot(page, "webhooks-secret")
    page.get_by_role("link", name="Done").click()
    page.get_by_role("button", name="Send test event").click()
    expect(page.get_by_text("A test event is on its way")).to_be_visible()
    assert deliver_due().delivered == 1
    assert receiver.received[0].signed
    page.reload()
    expect(page.get_by_text("Delivered").first).to_be_visible()
    screenshot(page, "webhooks-endpoint")


def test_a_user_creates_a_calendar_feed_link(live_server, page):
    sign_in(page, live_server, make_user("legal"))
    page.goto(live_server.at("/account"))
    page.get_by_role("link", name="Set up the calendar feed").click()
    page.get_by_role("button", name="Create my feed link").click()
    link = page.locator("#calendar-link code").inner_text()
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/calendar/[\w-]{43}\.ics", link), link
    screenshot(page, "calendar-feed-link")
    answer = page.request.get(link)
    assert answer.status == 200 and answer.headers["content-type"].startswith("text/calendar")
