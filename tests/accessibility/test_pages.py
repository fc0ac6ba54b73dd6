"""Every page of every visitor, through axe-core (1280 px and 320 px) and the Nu HTML Checker.

The walk runs once for the module (tests/accessibility/walk.py); each test reads its findings,
and test-artifacts/accessibility-walk.json lists every visit with what axe-core found.
axe-core runs with its default rule set (WCAG 2.x A/AA and best practices), none turned off.
"""

import json
from dataclasses import asdict

import pytest

from tests.accessibility.tools import checker_files, nu_errors
from tests.accessibility.walk import NARROW, page_rules, walk_everything
from tests.e2e.conftest import ARTIFACTS, screenshot

pytestmark = [pytest.mark.a11y, pytest.mark.e2e]


@pytest.fixture(scope="module")
def tools():
    """axe-core's source and the vnu.jar path (installed on first use when npm is there)."""
    return checker_files()


@pytest.fixture(scope="module")
def walked(tools, site, browser, tmp_path_factory):
    """The walk's visits, and the folder holding each page's HTML."""
    axe_source, _ = tools
    folder = tmp_path_factory.mktemp("a11y-html")
    walker = walk_everything(site, browser, axe_source, folder)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "accessibility-walk.json").write_text(
        json.dumps([asdict(visit) for visit in walker.visits], indent=1), encoding="utf-8")
    return walker, folder


def _report(findings):
    return "\n".join(findings[:60]) + (f"\n… and {len(findings) - 60} more"
                                       if len(findings) > 60 else "")


def test_the_walk_reaches_every_page_route(walked, site):
    walker, _ = walked
    checked = {visit.endpoint for visit in walker.visits}
    assert len(checked) > 60
    assert sorted(set(page_rules(site.app)) - walker.requested) == []


def test_every_visitor_saw_pages(walked):
    walker, _ = walked
    visitors = {visit.visitor for visit in walker.visits}
    assert visitors == {"signed-out", "password-step", "enrolling", "admin", "legal", "auditor",
                        "subcontractor"}
    failed = [(visit.url, visit.status) for visit in walker.visits if visit.status >= 500]
    assert failed == []


@pytest.mark.parametrize("width", ["1280", "320"])
def test_axe_finds_no_violations(walked, width):
    walker, _ = walked
    findings = [
        f"{visit.visitor} {visit.url}: {violation['rule']} ({violation['impact']}) "
        f"{violation['help']}: {'; '.join(violation['nodes'][:3])}"
        for visit in walker.visits for violation in visit.violations[width]]
    assert findings == [], _report(findings)


def test_no_page_scrolls_sideways_at_320_px(walked):
    walker, _ = walked
    wide = [f"{visit.visitor} {visit.url}: {visit.scroll_width} px"
            for visit in walker.visits if visit.scroll_width > NARROW["width"]]
    assert wide == [], _report(wide)


def test_the_nu_html_checker_finds_no_errors(walked, tools):
    walker, folder = walked
    errors = nu_errors(folder)
    assert len(list(folder.glob("*.html"))) == len(walker.visits)
    findings = [f"{name}: {message}" for name, messages in sorted(errors.items())
                for message in messages]
    assert findings == [], _report(findings)


PHONE = {"width": 390, "height": 844}


@pytest.fixture
def admin_page(site, browser):
    """A page signed in as the demo's admin."""
    from tests.accessibility.walk import WIDE, full_sign_in

    context = browser.new_context(viewport=WIDE)
    page = context.new_page()
    full_sign_in(site, site.users["admin"])(page)
    yield page
    context.close()


def test_on_a_phone_the_navigation_folds_into_a_menu(site, admin_page):
    page = admin_page
    page.set_viewport_size(PHONE)
    page.goto(site.at("/audit"))
    header = page.locator(".site-header").bounding_box()
    assert header["height"] < 200  # the admin's 17 areas took ~370 px unfolded
    audit_link = page.get_by_role("link", name="Audit trail", exact=True)
    assert not audit_link.is_visible()
    page.get_by_text("Menu").click()  # a <details> disclosure: no JavaScript involved
    assert audit_link.is_visible()
    screenshot(page, "a11y-phone-menu-open", PHONE)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(site.at("/audit"))
    assert not page.get_by_text("Menu").is_visible()
    assert page.get_by_role("link", name="Audit trail", exact=True).is_visible()


def test_a_wide_table_scrolls_by_keyboard_at_320_px(site, admin_page):
    page = admin_page
    page.set_viewport_size(NARROW)
    page.goto(site.at("/subcontractors"))
    region = page.get_by_role("region", name="Table: Subcontractors")
    assert region.evaluate("box => box.scrollWidth > box.clientWidth")
    region.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "() => document.querySelector('.table-scroll').scrollLeft > 0")
    screenshot(page, "a11y-320-subcontractors-table", NARROW)


CONTRAST = """selector => {
  const channel = c => {
    c /= 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const luminance = rgb => {
    const [r, g, b] = rgb.match(/\\d+/g).map(Number);
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  };
  const text = document.querySelector(selector);
  if (!text) return null;
  const [a, b] = [luminance(getComputedStyle(text).color),
                  luminance(getComputedStyle(document.body).backgroundColor)];
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}"""


def test_disabled_pagination_text_is_readable(site, admin_page):
    # axe-core checks it too (it found 1.87:1); this names the case on its own.
    contrasts = []
    for path in ("/dashboard", "/audit"):
        admin_page.goto(site.at(path))
        contrasts.append(admin_page.evaluate(CONTRAST, ".pagination__disabled"))
    measured = [contrast for contrast in contrasts if contrast is not None]
    assert measured, "no list of the demo has a second page"
    assert min(measured) >= 4.5
