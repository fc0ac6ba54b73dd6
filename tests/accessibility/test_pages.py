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
from tests.e2e.conftest import ARTIFACTS

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
