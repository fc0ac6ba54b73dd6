"""A subcontractor's officer uploads a certificate in the portal; legal staff accept it.

Signs in with password + TOTP, sees what is missing, is refused a PDF with JavaScript, uploads a
real one and sees "awaiting review"; a legal user accepts it in the review queue and the
subcontractor turns green on its page and in its own portal.
"""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from registry import seed
from registry.clock import local_today
from tests.documents import pdfs
from tests.e2e.conftest import TABLET, screenshot, sign_in
from tests.factories import make_user
from tests.registry_factories import make_subcontractor

pytestmark = pytest.mark.e2e


@pytest.fixture
def company(live_server):
    """A medium-tier subcontractor in order except for its security certification."""
    seed.ensure_reference_data()
    subcontractor = make_subcontractor(name="Northwind Hosting Oy", risk_tier="medium",
                                       contacts=["security@northwind.example"])
    officer = make_user("subcontractor", subcontractor=subcontractor,
                        email="officer@northwind.example")
    legal = make_user("legal", email="lawyer@processor.example")
    return subcontractor, officer, legal


def fill_iso_form(page, pdf_path):
    """Fill in the ISO/IEC 27001 upload form with sensible dates and `pdf_path`."""
    today = local_today()
    page.set_input_files("#file", str(pdf_path))
    page.fill("#issued_on", (today - timedelta(days=45)).isoformat())
    page.fill("#valid_until", (today + timedelta(days=1050)).isoformat())
    page.select_option("#standard_version", "2022")
    page.fill("#issuer", "Nordic Certification Ab")
    page.fill("#reference", "ISMS 610771")
    page.fill("#scope", "Hosting and operations of the e-commerce platform, Helsinki and Espoo")


def test_officer_uploads_and_legal_accepts(live_server, browser, page, company, tmp_path):
    subcontractor, officer, legal = company
    sign_in(page, live_server, officer)
    page.wait_for_url("**/portal/")
    assert page.get_by_role("heading", name="1 thing needs your attention").is_visible()
    assert page.locator(".requirement .badge--red", has_text="Missing").is_visible()
    screenshot(page, "portal-home-missing")
    screenshot(page, "portal-home-missing-tablet", viewport=TABLET)

    page.get_by_role("link", name="Upload a certificate or report").click()
    page.wait_for_url("**/portal/attestations/new?requirement=*")
    screenshot(page, "portal-choose-type")
    page.goto(live_server.at("/portal/attestations/new"))
    screenshot(page, "portal-choose-any-type")
    page.go_back()
    page.get_by_role("link", name=re.compile(r"^ISO.IEC 27001 certificate")).click()
    page.wait_for_url("**type=iso27001")

    hostile = tmp_path / "certificate-with-script.pdf"
    hostile.write_bytes(pdfs.javascript_link_action())
    fill_iso_form(page, hostile)
    page.get_by_role("button", name="Upload for review").click()
    expect(page.locator("#file-error")).to_contain_text("JavaScript")
    assert page.locator("#file-error").inner_text().count("JavaScript") == 1
    screenshot(page, "portal-upload-refused")

    real = tmp_path / "ISO 27001 certificate 2026.pdf"
    real.write_bytes(pdfs.valid_pdf(pages=2, marker="northwind"))
    fill_iso_form(page, real)
    page.locator("#issued_on").dispatch_event("change")
    page.wait_for_function(
        "document.querySelector('[data-validity-output]').textContent.includes('count until')")
    screenshot(page, "portal-upload-form")
    page.get_by_role("button", name="Upload for review").click()
    page.wait_for_url("**/portal/")
    assert "awaiting review" in page.locator("main").inner_text().lower()
    assert page.get_by_text("Awaiting review").first.is_visible()
    screenshot(page, "portal-home-awaiting-review")

    reviewer = browser.new_context(viewport={"width": 1280, "height": 900})
    legal_page = reviewer.new_page()
    sign_in(legal_page, live_server, legal)
    legal_page.goto(live_server.at("/review"))
    assert legal_page.get_by_text("Northwind Hosting Oy").first.is_visible()
    screenshot(legal_page, "portal-review-queue")
    legal_page.locator("summary", has_text="Accept…").click()
    legal_page.get_by_role("button", name="Accept and tell the subcontractor").click()
    expect(legal_page.locator(".flashes")).to_contain_text("was accepted")
    legal_page.goto(live_server.at(f"/subcontractors/{subcontractor.id}"))
    header = legal_page.locator(".page-header")
    assert header.locator(".badge--green").is_visible()
    assert header.locator(".badge--red, .badge--amber").count() == 0
    screenshot(legal_page, "portal-subcontractor-green")
    reviewer.close()

    page.reload()
    assert page.get_by_role("heading", name="Everything is in order").is_visible()
    assert page.locator(".requirement .badge--green", has_text="In order").is_visible()
    screenshot(page, "portal-home-in-order")
    page.get_by_role("link", name="All uploads").click()
    screenshot(page, "portal-history")
    page.goto(live_server.at("/portal/contacts"))
    screenshot(page, "portal-contacts")
