"""Issue 18 in a browser: a kept PDF, the coloured validity preview, the controller checklist.

Screenshots go to test-artifacts/ for people to look at.
"""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from registry import seed
from registry.clock import local_today
from registry.models import Attestation, Engagement
from tests.documents import pdfs
from tests.e2e.conftest import screenshot, sign_in
from tests.factories import make_user
from tests.registry_factories import make_controller, make_subcontractor

pytestmark = pytest.mark.e2e


def test_a_portal_upload_keeps_its_file_and_colours_a_passed_end_red(live_server, page,
                                                                     tmp_path):
    seed.ensure_reference_data()
    subcontractor = make_subcontractor(name="Northwind Hosting Oy", risk_tier="medium")
    officer = make_user("subcontractor", subcontractor=subcontractor)
    today = local_today()
    sign_in(page, live_server, officer)
    page.goto(live_server.at("/portal/attestations/new?type=security_questionnaire"))

    page.fill("#issued_on", (today - timedelta(days=400)).isoformat())
    page.locator("#issued_on").dispatch_event("change")
    preview = page.locator("[data-validity-output]")
    expect(preview).to_have_class("validity-preview validity-preview--expired")
    expect(preview).to_contain_text("which has passed")
    screenshot(page, "issue18-preview-expired")
    page.fill("#issued_on", (today - timedelta(days=30)).isoformat())
    page.locator("#issued_on").dispatch_event("change")
    expect(preview).to_have_class("validity-preview validity-preview--valid")

    questionnaire = tmp_path / "Questionnaire 2026.pdf"
    questionnaire.write_bytes(pdfs.valid_pdf(marker="northwind"))
    page.set_input_files("#file", str(questionnaire))
    page.get_by_role("button", name="Upload for review").click()
    expect(page.locator("#issuer-error")).to_be_visible()
    expect(page.locator(".kept-upload")).to_contain_text(
        "Your file Questionnaire 2026.pdf is kept")
    screenshot(page, "issue18-upload-kept")

    page.fill("#issuer", "Northwind Hosting Oy")
    page.get_by_role("button", name="Upload for review").click()
    page.wait_for_url("**/portal/")
    assert Attestation.select().order_by(Attestation.id.desc()).get().document.filename == (
        "Questionnaire 2026.pdf")


def test_the_engage_checklist_filters_and_sends_the_ticked_controllers(live_server, page):
    subcontractor = make_subcontractor(name="Pilvi Oy")
    for name in ("Aalto Oy", "Berg Ab", "Cedar Ltd", "Aava Oy", "Delta GmbH"):
        make_controller(name=name)
    sign_in(page, live_server, make_user("legal"))
    page.goto(live_server.at(f"/engagements/new/{subcontractor.id}"))

    page.get_by_label("Berg Ab").check()
    page.get_by_label("Show only names containing").fill("aa")
    expect(page.get_by_label("Aalto Oy")).to_be_visible()
    expect(page.get_by_label("Cedar Ltd")).to_be_hidden()
    expect(page.get_by_label("Berg Ab")).to_be_visible()  # ticked ones stay in sight
    page.get_by_label("Aava Oy").check()
    screenshot(page, "issue18-engage-checklist")
    page.get_by_role("button", name="Engage").click()
    page.wait_for_url("**/subcontractors/*")

    names = {engagement.controller.name for engagement in Engagement.select()}
    assert names == {"Berg Ab", "Aava Oy"}
