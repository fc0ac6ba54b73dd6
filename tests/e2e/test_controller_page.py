"""Browser test of a controller's own page: object to a pending sub-processor, confirm through
the e-mailed link, and see the objection on the page, in the engine and for legal staff."""

import email
import email.policy
import re
from pathlib import Path

import pytest

from registry.checks import current_snapshot
from registry.clock import local_today
from registry.models import Engagement
from tests.controller_pages.helpers import make_party
from tests.e2e.conftest import screenshot, sign_in
from tests.factories import make_user

pytestmark = pytest.mark.e2e
CONFIRMATION = re.compile(r"http://registry\.test(/c/confirmations/[\w-]+)")


def _deliver_queued_mail():
    """Deliver mail waiting in the outbox table, where mail is queued (else it is sent)."""
    try:
        from registry.mail.delivery import deliver_due
    except ImportError:
        return
    deliver_due()


def _confirmation_path(outbox_dir, address):
    _deliver_queued_mail()
    for path in sorted(Path(outbox_dir).glob("*.eml")):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        if message["To"] == address:
            body = message.get_body(preferencelist=("plain",)).get_content()
            return CONFIRMATION.search(body).group(1)
    raise AssertionError(f"no confirmation mailed to {address}")


def test_a_controller_objects_on_its_page_and_confirms_by_mail(live_server, page):
    party = make_party("Aurora Kauppa Oy", ["dpo@aurora.example"], "Aurora")
    page.goto(live_server.at(party.path))
    page.get_by_role("heading", name="Pending changes").wait_for()
    assert page.get_by_text("Aurora Hosting Oy").first.is_visible()
    screenshot(page, "controller-page")
    page.get_by_text("Object", exact=True).click()
    page.get_by_label("Your reason").fill("Our customers' data must stay in Finland.")
    screenshot(page, "controller-page-objection")
    page.get_by_role("button", name="Send the objection").click()
    page.get_by_text("We e-mailed a confirmation link").wait_for()
    assert Engagement.get_by_id(party.pending.id).objected_on is None

    path = _confirmation_path(live_server.app.config["OUTBOX_DIR"], "dpo@aurora.example")
    page.goto(live_server.at(path))
    page.get_by_text("Our customers' data must stay in Finland.").wait_for()
    screenshot(page, "controller-page-confirm")
    page.get_by_role("button", name="Confirm").click()
    page.get_by_role("heading", name="Thank you: confirmed").wait_for()

    page.goto(live_server.at(party.path))
    page.get_by_role("heading", name="Your objections").wait_for()
    assert page.get_by_text("Recorded: it may not process your data").is_visible()
    assert Engagement.get_by_id(party.pending.id).objected_on == local_today()
    codes = {finding.code for finding in current_snapshot().assessment.findings
             if finding.controller_id == party.controller.id}
    assert "engagement_objected" in codes

    sign_in(page, live_server, make_user("legal"))
    page.goto(live_server.at(f"/engagements/{party.pending.id}"))
    page.get_by_text("Our customers' data must stay in Finland.").first.wait_for()
    page.goto(live_server.at(f"/controllers/{party.controller.id}"))
    page.get_by_role("heading", name="Controller's own page").wait_for()
    assert page.get_by_text("3 from 1 address").is_visible()  # opened, after asking, after
    screenshot(page, "controller-page-legal-view")
