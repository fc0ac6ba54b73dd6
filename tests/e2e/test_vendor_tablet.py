"""The vendor pages' tables fit a tablet (820 px) without a horizontal scrollbar (demo data)."""

import pytest

from registry.clock import local_today
from registry.demo import import_demo
from registry.models import Subcontractor
from tests.e2e.conftest import TABLET, screenshot, sign_in
from tests.factories import make_user

pytestmark = pytest.mark.e2e

OVERFLOW = """() => [...document.querySelectorAll('.table-wrap')].map(wrap => ({
    table: wrap.querySelector('table').scrollWidth, wrap: wrap.clientWidth,
    columns: [...wrap.querySelectorAll('thead th')].map(th => [th.innerText, th.offsetWidth])}))"""


def test_subcontractor_list_fits_a_tablet(live_server, page):
    import_demo(local_today())
    sign_in(page, live_server, make_user("legal"))
    page.goto(live_server.at("/subcontractors?status=all"))
    assert page.get_by_role("columnheader", name="Engagements").is_visible()  # on a laptop
    for width in (TABLET["width"], 768):
        page.set_viewport_size({**TABLET, "width": width})
        screenshot(page, f"vendors-list-tablet-{width}")
        for wrap in page.evaluate(OVERFLOW):
            assert wrap["table"] <= wrap["wrap"], (width, wrap)


def test_subcontractor_and_engagement_pages_fit_a_tablet(live_server, page):
    import_demo(local_today())
    sign_in(page, live_server, make_user("legal"))
    page.set_viewport_size(TABLET)
    paths = ["/engagements?status=all", "/review", *(
        f"/subcontractors/{row.id}" for row in Subcontractor.select().order_by(Subcontractor.id))]
    for path in paths:
        page.goto(live_server.at(path))
        for wrap in page.evaluate(OVERFLOW):
            assert wrap["table"] <= wrap["wrap"], (path, wrap)
    busiest = max(Subcontractor.select(), key=lambda row: row.attestations.count())
    page.goto(live_server.at(f"/subcontractors/{busiest.id}"))
    screenshot(page, "vendors-detail-tablet-820")
