"""Reports never end on an almost empty page: a table's last rows and a closing section travel
together (static/reports/report.css), whatever number of rows fills the page before them."""

import io
import re

from pypdf import PdfReader
from weasyprint import HTML

from registry import asset_dir

STYLES = (asset_dir("static") / "reports" / "report.css").read_text(encoding="utf-8")


def _pages(rows, closing):
    body = "".join(f"<tr><td>ROW{index:03d}</td><td>x</td></tr>" for index in range(rows))
    end = '<div class="closing"><h2>Questions</h2><p>CLOSING</p></div>' if closing else ""
    html = (f"<html><head><style>{STYLES}</style></head><body><h1>Report</h1>"
            f"<table><thead><tr><th scope='col'>A</th><th scope='col'>B</th></tr></thead>"
            f"<tbody>{body}</tbody></table>{end}</body></html>")
    reader = PdfReader(io.BytesIO(HTML(string=html).write_pdf()))
    return [page.extract_text() for page in reader.pages]


def _rows_on(page):
    return len(re.findall(r"ROW\d{3}", page))


def _rows_on_one_page():
    rows = 10
    while len(_pages(rows, closing=False)) == 1:
        rows += 5
    return rows


def test_a_table_never_ends_with_one_or_two_rows_alone_on_a_page():
    overflow = _rows_on_one_page()
    for rows in range(overflow - 6, overflow + 3):
        last = _pages(rows, closing=False)[-1]
        assert _rows_on(last) == rows or _rows_on(last) >= 3, rows


def test_a_closing_section_takes_the_last_rows_along():
    overflow = _rows_on_one_page()
    for rows in range(overflow - 8, overflow + 1):
        pages = _pages(rows, closing=True)
        if len(pages) > 1:
            assert "CLOSING" in pages[-1] and _rows_on(pages[-1]) >= 3, rows
