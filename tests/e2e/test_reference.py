"""Browser test of the reference-data pages: an admin narrows a requirement, retires a group and
ends an adequacy decision, and the subcontractor that relied on it turns red; an auditor reads
the same pages without a single button. Screenshots at laptop and tablet width.
"""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from registry import seed
from registry.clock import local_today
from registry.models import AdequacyDecision, Requirement
from tests.e2e.conftest import TABLET, screenshot, sign_in
from tests.factories import make_user
from tests.registry_factories import make_dpa, make_engagement, make_subcontractor

pytestmark = pytest.mark.e2e


def _registry():
    """Seeded reference data, a decision lapsing within a year, and a subcontractor in GB."""
    seed.ensure_reference_data()
    (AdequacyDecision.update(valid_until=local_today() + timedelta(days=150))
     .where(AdequacyDecision.country_code == "KR").execute())
    london = make_subcontractor(name="London Cloud Ltd", country="GB", risk_tier="low",
                                processing_countries=["GB"], transfer_mechanism="adequacy")
    make_engagement(subcontractor=london, controller=make_dpa().controller)
    return london


def _both_widths(page, name):
    screenshot(page, name)
    screenshot(page, f"{name}-tablet", viewport=TABLET)


def test_admin_maintains_reference_data_and_findings_follow(live_server, page):
    london = _registry()
    sign_in(page, live_server, make_user("admin"))
    page.get_by_role("link", name="Reference data").click()
    page.wait_for_url("**/reference/attestation-types")
    assert page.locator("tr", has_text="SOC 2 Type II report").get_by_text(
        "12 months from the period end").is_visible()
    _both_widths(page, "reference-1-attestation-types")

    page.locator("tr", has_text="Penetration test report").get_by_role("link").click()
    page.get_by_label("Default validity (months)").fill("200")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Enter a number from 1 to 120.")).to_be_visible()
    _both_widths(page, "reference-2-type-form-error")

    page.get_by_role("link", name="Attestation types").click()
    page.get_by_role("link", name="Tier requirements").click()
    _both_widths(page, "reference-3-requirements")

    low = Requirement.get(Requirement.key == "low_questionnaire")
    page.goto(live_server.at(f"/admin/reference/requirements/{low.id}/edit"))
    page.get_by_label("Security questionnaire").uncheck()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Choose at least one acceptable type.")).to_be_visible()
    page.get_by_text("Retire the group…").click()
    _both_widths(page, "reference-4-requirement-form-retire")
    page.get_by_role("button", name="Yes, retire it").click()
    page.wait_for_url("**/reference/requirements")
    assert page.get_by_text("Security questionnaire was retired").is_visible()
    assert page.locator(".reference-section--retired").get_by_text(
        "low_questionnaire").is_visible()
    screenshot(page, "reference-4-requirements-after-retiring")

    page.get_by_role("link", name="Adequacy decisions").click()
    lapsing = page.locator("tr.reference-decision--lapsing")
    assert lapsing.count() == 1 and "South Korea" in lapsing.inner_text()
    _both_widths(page, "reference-5-adequacy")

    # The latest of the UK's decisions (the 2025 renewal) is listed first.
    page.locator("tr", has_text="United Kingdom (GB)").get_by_role("link").first.click()
    expect(page.get_by_text("London Cloud Ltd")).to_be_visible()
    page.get_by_label("Valid until").fill((local_today() - timedelta(days=1)).isoformat())
    _both_widths(page, "reference-6-adequacy-edit")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("is no longer in force")).to_be_visible()  # waits for the redirect
    page.goto(live_server.at(f"/subcontractors/{london.id}"))
    assert page.get_by_text(re.compile("no adequacy decision in force for GB")).first.is_visible()


def test_an_auditor_reads_the_reference_data_without_any_button(live_server, page):
    _registry()
    sign_in(page, live_server, make_user("auditor"))
    for path in ("attestation-types", "requirements", "adequacy-decisions"):
        page.goto(live_server.at(f"/reference/{path}"))
        content = page.locator("main")
        assert content.get_by_role("button").count() == 0, path
        assert content.get_by_role("link", name=re.compile(r"^(Edit|Add)")).count() == 0, path
    screenshot(page, "reference-7-auditor-adequacy", viewport=TABLET)
