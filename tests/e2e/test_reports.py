"""Reports in a real browser: choose a report and a controller, download the PDF; settings."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import TABLET, screenshot, sign_in
from tests.factories import make_user
from tests.reports.factories import build_registry, normalised, read_pdf

pytestmark = pytest.mark.e2e


def test_legal_downloads_a_subprocessor_list(live_server, page, tmp_path):
    registry = build_registry()
    sign_in(page, live_server, make_user(role="legal"))
    page.get_by_role("link", name="Reports").first.click()
    page.wait_for_url("**/reports")
    screenshot(page, "reports-page")
    screenshot(page, "reports-page-tablet", viewport=TABLET)

    page.get_by_label("Sub-processor list").check()
    page.get_by_role("button", name="Download PDF").click()
    refusal = page.get_by_text("The sub-processor list is made for one controller")
    expect(refusal.first).to_be_visible()
    screenshot(page, "reports-page-error")

    page.get_by_label("Controller", exact=True).select_option(label=registry.aakerlund.name)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download PDF").click()
    assert download.value.suggested_filename.startswith("sub-processors-akerlund-soner-ab-")
    saved = tmp_path / "list.pdf"
    download.value.save_as(saved)
    _, text, _ = read_pdf(saved.read_bytes())
    assert "Sub-processors processing personal data of Åkerlund & Söner Ab" in normalised(text)


def test_admin_edits_the_processor_settings(live_server, page):
    sign_in(page, live_server, make_user(role="admin"))
    page.goto(live_server.at("/admin/settings"))
    page.get_by_label("Processor name").fill("Verkkopalvelut Pohjola Oy")
    page.get_by_label("Security measures (Art. 32)").fill("MFA for every account.")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("Settings saved.")).to_be_visible()
    expect(page.get_by_label("Processor name")).to_have_value("Verkkopalvelut Pohjola Oy")
    screenshot(page, "settings-page")
