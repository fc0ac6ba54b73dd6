"""The Alerts page in a real browser: sent and failed alerts, the status filter, the navigation."""

from datetime import timedelta

import pytest

from registry.alerts import operations
from registry.clock import local_today
from tests.alerts.factories import make_lapsing_registry
from tests.e2e.conftest import TABLET, screenshot, sign_in
from tests.factories import make_user
from tests.mail.smtpserver import SmtpServer

pytestmark = pytest.mark.e2e


def test_legal_staff_see_sent_and_failed_alerts(live_server, page):
    make_lapsing_registry(lapses_on=local_today() + timedelta(days=30))
    server = SmtpServer().start()
    server.handler.refuse["security@pilvi.example"] = "550 5.1.1 No such mailbox"
    live_server.app.config["SMTP_URL"] = server.url
    try:
        report = operations.send_alerts()
    finally:
        server.stop()
    assert len(report.sent) == 1 and len(report.failed) == 1

    sign_in(page, live_server, make_user(role="legal"))
    page.get_by_role("link", name="Alerts").first.click()
    page.wait_for_url("**/alerts/")
    table = page.get_by_role("table")
    assert table.get_by_text("Compliance alerts for").count() == 2  # the DPA and the ISO
    assert table.get_by_text("security@pilvi.example (550)").count() == 1
    screenshot(page, "alerts-page")
    screenshot(page, "alerts-page-tablet", viewport=TABLET)

    page.get_by_role("link", name="Failed 1").click()
    page.wait_for_url("**/alerts/?status=failed")
    assert page.get_by_role("table").get_by_text("Compliance alerts for").count() == 0
    screenshot(page, "alerts-page-failed")
