"""Every count of the dashboard opens exactly its rows, and links say what the action is."""

import re
from html import unescape

import pytest

from tests.controllers.helpers import signed_in, text

COUNT_LINK = re.compile(r'<td class="numeric counts__cell[^"]*"><a href="([^"]+)"[^>]*>(\d+)</a>')
ROW = re.compile(r'<li class="(?:finding finding--\w+|in-order__item)"')
NEXT = re.compile(r'<a rel="next" href="([^"]+)"')


@pytest.fixture
def demo(app, runner):
    """The demo registry, which shows every finding code, and green items in every area."""
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output


def _rows_across_pages(client, url):
    rows, seen = 0, set()
    while url and url not in seen:
        seen.add(url)
        page = text(client.get(url))
        rows += len(ROW.findall(page))
        following = NEXT.search(page)
        url = unescape(following.group(1)) if following else None
    return rows


def _count_links(page):
    table = page[page.index('<table class="table counts">'):]
    table = table[:table.index("</table>")]
    return [(unescape(url), int(count)) for url, count in COUNT_LINK.findall(table)]


def test_each_area_count_links_to_exactly_its_rows(demo, client):
    signed_in(client)
    links = _count_links(text(client.get("/dashboard")))

    assert len(links) >= 10  # red, amber and green counts of several areas
    for url, count in links:
        assert "area=" in url and "severity=" in url, url
        assert _rows_across_pages(client, url) == count, url


def test_counts_reconcile_under_a_controller_filter_too(demo, client):
    signed_in(client)
    page = text(client.get("/dashboard?controller=oy"))

    for url, count in _count_links(page):
        assert "controller=oy" in url
        assert _rows_across_pages(client, url) == count, url


def test_the_link_names_the_action_fix_review_or_wait(demo, client):
    signed_in(client)
    engagements = text(client.get("/dashboard?area=engagements&severity=amber"))
    evidence = text(client.get("/dashboard?area=subcontractors&severity=amber"))
    dpas = text(client.get("/dashboard?area=dpas&severity=red"))

    assert re.search(r'class="finding__link"[^>]*>Wait until \d{4}-\d{2}-\d{2}<', engagements)
    assert re.search(r'class="finding__link"[^>]*>Review<', evidence)
    assert re.search(r'class="finding__link"[^>]*>Fix<', dpas)
    assert not re.search(r">Fix<span[^>]*>: Objection period", engagements)


def test_no_code_notation_leaks_into_filters_and_pages(demo, client):
    signed_in(client)
    for url in ("/dashboard", "/controllers", "/subcontractors",
                "/dashboard?area=subcontractors&severity=red"):
        page = text(client.get(url))
        assert "(:" not in page and "(dpf)" not in page, url
        assert not re.search(r"\b(?:dpa|flow_down|requirement|engagement)_[a-z_]+:", page), url
