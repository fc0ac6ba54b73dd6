"""Browser tests of the legal staff's morning: find what is red, fix it, see it turn green.

Also: an auditor reads every page without finding one button that changes anything, and the
main pages are screenshotted at laptop and tablet width into test-artifacts/.
"""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from registry.clock import local_today
from registry.demo import import_demo
from registry.models import Controller, Dpa, Instruction
from tests.documents.pdfs import valid_pdf
from tests.e2e.conftest import TABLET, screenshot, sign_in
from tests.factories import make_user
from tests.registry_factories import make_controller, make_dpa, make_instruction

pytestmark = pytest.mark.e2e

# Names of every control that writes; "Sign out" is the only "Sign…" an auditor may see.
WRITE_CONTROLS = re.compile(
    r"^(Edit|Sign and|Sign version|Terminate|Acknowledge|Upload|Attach|Register|Add a|Start a"
    r"|Save|Yes, terminate|Export)", re.IGNORECASE)


def _red_registry():
    """A controller whose DPA is signed on paper but recorded only as a draft, and one in order."""
    nordic = make_controller(name="Nordic Apteekki Oy", business_id="3089402-5")
    make_dpa(controller=nordic, status="draft", signed_on=None, effective_from=None,
             title="Data processing agreement")
    make_dpa(controller=make_controller(name="Aurora Kauppa Oy"))
    return nordic


def test_legal_user_signs_in_fixes_a_red_finding_and_sees_it_turn_green(live_server, page):
    nordic = _red_registry()
    sign_in(page, live_server, make_user("legal"))
    page.wait_for_url("**/dashboard")
    finding = page.locator(".finding--red", has_text="Nordic Apteekki Oy has no signed DPA")
    assert finding.count() == 1
    assert page.locator(".counts tr", has_text="DPAs").locator(
        ".counts__cell--red").inner_text().strip() == "1"
    screenshot(page, "legal-1-dashboard-red")

    finding.get_by_role("link", name=re.compile("^Fix")).click()
    page.wait_for_url(f"**/controllers/{nordic.id}#dpa")
    assert page.get_by_text("No signed DPA is in force.").is_visible()
    screenshot(page, "legal-2-controller-without-dpa")

    page.get_by_role("link", name="Sign and upload the PDF").click()
    page.get_by_label("Signed on").fill(local_today().isoformat())
    page.get_by_label("Signed PDF").set_input_files({
        "name": "Nordic Apteekki DPA signed.pdf", "mimeType": "application/pdf",
        "buffer": valid_pdf(marker="nordic")})
    screenshot(page, "legal-3-sign-form")
    page.get_by_role("button", name="Sign version 1").click()
    page.wait_for_url(f"**/controllers/{nordic.id}#dpa")
    assert page.get_by_role("status").filter(has_text="is signed and its PDF stored").count()
    assert page.locator(".page-header .badge--green", has_text="In order").is_visible()
    assert page.get_by_role("link", name="Nordic Apteekki DPA signed.pdf").is_visible()
    screenshot(page, "legal-4-controller-green")

    page.get_by_role("link", name="Dashboard").click()
    expect(page.get_by_text("Nothing needs attention today")).to_be_visible()
    assert page.locator(".counts__cell--red").count() == 0
    screenshot(page, "legal-5-dashboard-green")
    assert Dpa.get(Dpa.controller == nordic).status == "signed"


def test_auditor_cannot_find_an_edit_button(live_server, page):
    nordic = _red_registry()
    signed = make_dpa(controller=make_controller(name="Lumi Design Oy"))
    instruction = make_instruction(controller=signed.controller, acknowledged_on=None,
                                   received_on=local_today() - timedelta(days=2))
    draft = Dpa.get(Dpa.controller == nordic)
    sign_in(page, live_server, make_user("auditor"))
    pages = ["/dashboard", "/controllers", f"/controllers/{nordic.id}",
             f"/controllers/{signed.controller_id}", f"/dpas/{draft.id}", f"/dpas/{signed.id}",
             f"/instructions/{instruction.id}", "/audit"]
    for path in pages:
        page.goto(live_server.at(path))
        controls = page.get_by_role("button").all() + page.get_by_role("link").all()
        offered = [name for name in (control.inner_text().strip() for control in controls)
                   if WRITE_CONTROLS.match(name) and not name.startswith("Export")]
        assert offered == [], f"{path} offers {offered}"
        assert page.locator("form[method=post]").count() == 1  # only "Sign out"
    screenshot(page, "auditor-audit-trail")
    page.goto(live_server.at(f"/controllers/{signed.controller_id}"))
    screenshot(page, "auditor-controller")
    response = page.goto(live_server.at(f"/dpas/{draft.id}/sign"))
    assert response.status == 403
    assert Instruction.get_by_id(instruction.id).acknowledged_on is None


def test_main_pages_on_the_demo_data_at_laptop_and_tablet_width(live_server, page):
    import_demo(local_today())
    aurora = Controller.get(Controller.key == "c-aurora")
    lumi = Controller.get(Controller.key == "c-lumi-design")
    changed = Instruction.get((Instruction.version == 2) & Instruction.acknowledged_on.is_null())
    sign_in(page, live_server, make_user("legal"))
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to main content"
    shots = {
        "dashboard": "/dashboard",
        "controllers": "/controllers",
        "controllers-filtered": "/controllers?severity=red&sort=status",
        "controller-aurora": f"/controllers/{aurora.id}",
        "controller-lumi": f"/controllers/{lumi.id}",
        "controller-new-errors": None,
        "dpa-lumi": f"/dpas/{Dpa.get(Dpa.controller == lumi).id}",
        "dpa-new-version": f"/dpas/{Dpa.get(Dpa.controller == lumi).id}/new-version",
        "instruction-diff": f"/instructions/{changed.id}",
        "audit": "/audit",
    }
    for name, path in shots.items():
        if path is None:
            page.goto(live_server.at("/controllers/new"))
            page.get_by_label("Name").fill("Testi Oy")
            page.get_by_label("Business ID").fill("1234567-8")
            page.get_by_label("Privacy contacts").fill("not-an-address")
            page.get_by_role("button", name="Add the controller").click()
            expect(page.get_by_text("This is not a valid Y-tunnus")).to_be_visible()
        else:
            page.goto(live_server.at(path))
        assert page.locator("h1").count() == 1
        screenshot(page, f"legal-demo-{name}")
    for name in ("dashboard", "controller-aurora"):
        page.goto(live_server.at(shots[name]))
        screenshot(page, f"legal-demo-{name}-tablet", TABLET)
