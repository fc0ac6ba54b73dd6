"""HTML e-mails fit a 375 px phone screen: long links wrap instead of widening the message
(rendered in Debian's chromium with Playwright, measuring the document's scroll width)."""

from types import SimpleNamespace

import pytest

from registry.mail import compose

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


def test_html_mails_are_no_wider_than_a_phone(mail_app, browser):
    mail_app.config["BASE_URL"] = LONG.partition("?")[0]
    htmls = [message.get_body(("html",)).get_content() for message in _messages()]
    context = browser.new_context(viewport={"width": WIDTH, "height": 800})
    page = context.new_page()
    widths = []
    for html in htmls:
        page.set_content(html)
        widths.append(page.evaluate("document.documentElement.scrollWidth"))
    context.close()
    assert widths and all(width <= WIDTH for width in widths), widths
