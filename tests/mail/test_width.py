"""HTML e-mails fit a 375 px phone screen: long links wrap instead of widening the message
(rendered in Debian's chromium with Playwright, measuring the document's scroll width)."""

from types import SimpleNamespace

import pytest

from registry.mail import compose
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS

pytestmark = pytest.mark.e2e
WIDTH = 375
LONG = "https://dpa-registry.example.org/a/very/long/path/" + "x" * 40 + "?token=" + "T" * 90


def _messages():
    user = SimpleNamespace(full_name="Anna Esimerkki", role="subcontractor",
                           email="anna.esimerkki.with.a.long.address@pilvipalvelu.example")
    items = [{"severity": "red", "message": "ISO 27001 of Pilvipalvelu Oy expired", "link": LONG,
              "due_on": None, "when": None}]
    yield compose([user.email], "Invitation", "auth/invitation", user=user, link=LONG,
                  invited_by=None, hours=72)
    yield compose([user.email], "Reminder", "alerts/reminder", items=items, company="Pilvi Oy",
                  portal_url=LONG, has_account=False, invitation_for=user.email,
                  invitation_hours=72)
    yield compose([user.email], "Test", "mail/test_message")


def test_html_mails_are_no_wider_than_a_phone(mail_app):
    sync_api = pytest.importorskip("playwright.sync_api")
    mail_app.config["BASE_URL"] = LONG.partition("?")[0]
    htmls = [message.get_body(("html",)).get_content() for message in _messages()]
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": WIDTH, "height": 800})
        widths = []
        for html in htmls:
            page.set_content(html)
            widths.append(page.evaluate("document.documentElement.scrollWidth"))
        browser.close()
    assert widths and all(width <= WIDTH for width in widths), widths
