"""CSV export of the controller list: Excel-friendly, formula-safe, filtered like the page."""

import csv
import io

import pytest

from registry.controllers.export import BOM, safe_cell
from tests.controllers.helpers import signed_in
from tests.registry_factories import make_controller, make_dpa


@pytest.mark.parametrize(("value", "cell"), [
    ("=HYPERLINK(\"http://evil\")", "'=HYPERLINK(\"http://evil\")"),
    ("+358 40 123", "'+358 40 123"),
    ("-1", "'-1"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("Aurora Oy", "Aurora Oy"),
    (None, ""),
])
def test_cells_that_a_spreadsheet_would_run_are_quoted(value, cell):
    assert safe_cell(value) == cell


def _rows(response):
    body = response.get_data(as_text=True)
    assert body.startswith(BOM)
    return list(csv.reader(io.StringIO(body[1:])))


def test_export_has_every_controller_with_status_and_worst_finding(app, client):
    make_dpa(controller=make_controller(name="Kotileipä Oy", business_id="0112038-9"))
    make_controller(name="=cmd|' /C calc'!A0")
    signed_in(client, "auditor")
    response = client.get("/controllers/export.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"].startswith(
        'attachment; filename="controllers-')
    rows = _rows(response)
    assert rows[0][:6] == ["Name", "Business ID", "Country", "Status", "Compliance",
                           "Worst finding"]
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["Kotileipä Oy"][1:5] == ["0112038-9", "FI", "active", "green"]
    hostile = by_name["'=cmd|' /C calc'!A0"]
    assert hostile[4:6] == ["red", "dpa_missing"]
    assert hostile[6].startswith("'=cmd")


def test_export_follows_the_list_filters(app, client):
    make_dpa(controller=make_controller(name="Vihreä Oy"))
    make_controller(name="Punainen Oy")
    signed_in(client)
    rows = _rows(client.get("/controllers/export.csv?severity=red"))
    assert [row[0] for row in rows[1:]] == ["Punainen Oy"]
