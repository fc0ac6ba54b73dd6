"""The shared layout in a real browser: header rows and page width at laptop and tablet sizes."""

import pytest

from tests.e2e.conftest import LAPTOP, TABLET, screenshot, sign_in
from tests.factories import make_user
from tests.registry_factories import make_controller

pytestmark = pytest.mark.e2e


def _box(page, selector):
    return page.locator(selector).bounding_box()


SMALL_TABLET = {"width": 768, "height": 1024}


@pytest.mark.parametrize("viewport", [LAPTOP, TABLET, SMALL_TABLET],
                         ids=["laptop", "tablet", "small-tablet"])
def test_header_keeps_the_user_menu_beside_the_brand_and_the_page_fits(
        live_server, page, viewport):
    sign_in(page, live_server, make_user("admin"))
    page.set_viewport_size(viewport)
    page.goto(live_server.at("/admin/users"))
    brand, menu = _box(page, ".brand"), _box(page, ".user-menu")
    nav = _box(page, ".main-nav")
    # The admin's eleven areas take the second row; the account menu never gets a row alone.
    assert abs((brand["y"] + brand["height"] / 2) - (menu["y"] + menu["height"] / 2)) < 4
    assert nav["y"] >= brand["y"] + brand["height"]
    assert page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    screenshot(page, f"layout-header-{viewport['width']}")


def test_keyboard_focus_follows_the_header_as_it_is_seen(live_server, page):
    sign_in(page, live_server, make_user("legal"))
    page.goto(live_server.at("/controllers"))
    order = []
    for _ in range(4):
        page.keyboard.press("Tab")
        order.append(page.evaluate("document.activeElement.textContent.trim().split(/\\s+/)[0]"))
    # Skip link, brand, then the account menu at the top right, then the first area.
    assert order == ["Skip", "§", page.evaluate(
        "document.querySelector('.user-menu__email').textContent"), "Dashboard"]


def test_text_fields_and_selects_in_a_filter_row_line_up(live_server, page):
    make_controller()
    sign_in(page, live_server, make_user("legal"))
    page.goto(live_server.at("/controllers"))
    search, status = _box(page, "#q"), _box(page, "#lifecycle")
    assert search["height"] == status["height"]
    assert abs(search["y"] - status["y"]) < 1
    page.goto(live_server.at("/controllers/new"))
    assert _box(page, "#name")["height"] == _box(page, "#status")["height"]
