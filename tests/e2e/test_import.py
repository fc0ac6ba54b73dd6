"""The Import page in a browser: a bad workbook's problems by row, then a good one imported."""

import pytest
from playwright.sync_api import expect

from registry.models import Controller
from tests.e2e.conftest import screenshot, sign_in
from tests.factories import make_user
from tests.interchange.samples import GOOD_ROWS, workbook_bytes

pytestmark = pytest.mark.e2e


def choose_file(page, path):
    """Put `path` into the page's file field and press "Check the file"."""
    page.get_by_label("Workbook, CSV or JSON file").set_input_files(str(path))
    page.get_by_role("button", name="Check the file").click()


def test_import_a_workbook_from_the_portal(live_server, page, tmp_path):
    sign_in(page, live_server, make_user("legal"))
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(workbook_bytes({
        "controllers": [["c-aurora", "Aurora Kauppa Oy", "1572860-1", "FI"]],
        "dpas": [["c-nobody", 1, "DPA", "valid", "01.03.2025"]],
    }))
    good = tmp_path / "good.xlsx"
    good.write_bytes(workbook_bytes(GOOD_ROWS))

    page.goto(live_server.at("/import"))
    screenshot(page, "interchange-import")
    choose_file(page, bad)
    problems = page.locator("table tbody tr")
    expect(problems).to_have_count(5)
    expect(problems.first).to_contain_text("sheet controllers, row 2, field business_id")
    screenshot(page, "interchange-import-problems")

    page.get_by_role("link", name="Upload another file").click()
    choose_file(page, good)
    confirm = page.get_by_role("button", name="Import these changes")
    expect(confirm).to_be_visible()
    screenshot(page, "interchange-import-preview")
    confirm.click()
    expect(page.get_by_text("Imported good.xlsx: 2 records created, 0 updated.")).to_be_visible()
    screenshot(page, "interchange-import-done")
    assert Controller.get().key == "c-aurora"
