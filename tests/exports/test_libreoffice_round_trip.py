"""LibreOffice Calc opens the import template and every CSV export without changing a value.

Each file goes through headless LibreOffice (xlsx -> xlsx and csv; csv -> ods -> csv) and is read
back: keys like 007 and text like 1/2 survive, and no column shifts.
"""

import pytest
from openpyxl import load_workbook

from registry.interchange.importer import import_source
from registry.interchange.sources import load_source
from registry.interchange.spreadsheet import write_template
from registry.interchange.tabular import text_columns
from tests.auth_helpers import login
from tests.exports.helpers import csv_rows
from tests.exports.libreoffice import (
    OPENED_AS_TEXT,
    OPENED_WITH_DETECTION,
    WRITE_CSV,
    convert,
    needs_libreoffice,
)
from tests.exports.test_csv_files import CSV_EXPORTS
from tests.exports.world import evidence_world
from tests.factories import make_user

pytestmark = needs_libreoffice
# What the test registry's users typed that a spreadsheet's number detection may change: the
# registry cannot protect a user's "007" in a CSV, only every value it writes itself.
TYPED_BY_USERS = {"007", "1/2"}


@pytest.fixture(scope="module")
def profile(tmp_path_factory):
    """A LibreOffice user profile of its own, so runs never share one."""
    return tmp_path_factory.mktemp("libreoffice-profile")


def _filled_template(path):
    write_template(path, ["iso27001"])
    workbook = load_workbook(path)
    workbook["controllers"].append(["007", "1/2 Oy", "1572860-0", "FI", "privacy@example.fi"])
    workbook.save(path)


def _text_formatted(sheet):
    """Return the header names of the columns formatted as Text (LibreOffice groups columns)."""
    formats = {}
    for dimension in sheet.column_dimensions.values():
        for index in range(dimension.min, dimension.max + 1):
            formats[index] = dimension.number_format
    return {cell.value for cell in sheet[1] if formats.get(cell.column) == "@"}


def test_the_template_keeps_its_text_columns_through_libreoffice(app, tmp_path, profile):
    original = tmp_path / "registry.xlsx"
    _filled_template(original)
    saved = convert(profile, tmp_path / "saved", "xlsx", [original]) / "registry.xlsx"
    sheet = load_workbook(saved)["controllers"]
    assert _text_formatted(sheet) == text_columns("controllers")
    report = import_source(load_source(saved), dry_run=True)
    assert report.ok, [str(error) for error in report.errors]

    convert(profile, tmp_path / "csv", WRITE_CSV, [original])
    header, row = csv_rows((tmp_path / "csv" / "registry-controllers.csv").read_bytes()
                           .replace(b"\n", b"\r\n"))
    assert row[:5] == ["007", "1/2 Oy", "1572860-0", "FI", "privacy@example.fi"]
    assert len(row) == len(header)


def _exports(app, folder):
    evidence_world()
    client = app.test_client()
    login(client, make_user("auditor"))
    folder.mkdir()
    files = {}
    for url in CSV_EXPORTS:
        path = folder / url.strip("/").replace("/", "-")
        path.write_bytes(client.get(url).data)
        files[path.stem] = (path, csv_rows(path.read_bytes()))
    return files


def _round_trip(profile, folder, files, infilter):
    spreadsheets = convert(profile, folder / "ods", "ods", [path for path, _ in files.values()],
                           infilter=infilter)
    back = convert(profile, folder / "csv", WRITE_CSV.rsplit(",", 1)[0],
                   sorted(spreadsheets.glob("*.ods")))
    return {stem: csv_rows(b"\xef\xbb\xbf" + (back / f"{stem}.csv").read_bytes())
            for stem in files}


def test_every_csv_export_survives_when_quoted_fields_are_text(app, tmp_path, profile):
    files = _exports(app, tmp_path / "exports")
    returned = _round_trip(profile, tmp_path, files, OPENED_AS_TEXT)
    for stem, (_path, rows) in files.items():
        assert returned[stem] == rows, stem


def test_no_value_the_registry_writes_turns_into_a_date_or_shifts(app, tmp_path, profile):
    files = _exports(app, tmp_path / "exports")
    returned = _round_trip(profile, tmp_path, files, OPENED_WITH_DETECTION)
    for stem, (_path, rows) in files.items():
        back = returned[stem]
        assert [len(row) for row in back] == [len(row) for row in rows], f"{stem}: shifted"
        changed = {before for row, row_back in zip(rows, back, strict=True)
                   for before, after in zip(row, row_back, strict=True) if before != after}
        assert changed <= TYPED_BY_USERS, (stem, changed)
