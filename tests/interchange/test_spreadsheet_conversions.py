"""What spreadsheets do to typed values: text columns formatted as Text, conversions reported,
and files in other encodings or formats refused with a message that says what to do."""

import io
from datetime import datetime

import pytest
from openpyxl import load_workbook

from registry.interchange.importer import import_source
from registry.interchange.sources import UnreadableFile, load_source, read_upload
from registry.interchange.spreadsheet import write_template
from registry.interchange.tabular import text_columns
from registry.models import Controller
from tests.interchange.samples import workbook_bytes

WINDOWS_1252_CSV = "key,name,business_id,country\nc-1,Pääkaupunki Oy,,FI\n".encode("cp1252")


def test_the_template_formats_text_and_key_columns_as_text(app, tmp_path):
    path = tmp_path / "template.xlsx"
    write_template(path, ["iso27001"])
    workbook = load_workbook(path)
    for collection in ("controllers", "dpas", "attestations"):
        sheet = workbook[collection]
        header = [cell.value for cell in sheet[1]]
        formats = {header[index - 1]: sheet.column_dimensions[letter].number_format
                   for letter, index in ((cell.column_letter, cell.column) for cell in sheet[1])}
        for name in header:
            assert (formats[name] == "@") == (name in text_columns(collection)), name
    assert {"key", "name", "business_id"} <= text_columns("controllers")
    assert {"controller", "title"} <= text_columns("dpas")
    assert {"reference", "standard_version"} <= text_columns("attestations")
    assert "signed_on" not in text_columns("dpas") and "version" not in text_columns("dpas")


def _check(content, filename="registry.xlsx"):
    return import_source(read_upload(filename, io.BytesIO(content)), dry_run=True)


def test_a_number_in_a_key_column_is_reported_by_row_and_column(app):
    report = _check(workbook_bytes({"controllers": [[7, "Seven Oy", "1572860-0", "FI"]]}))
    assert not report.ok
    [problem] = [str(error) for error in report.errors if "number" in str(error)]
    assert problem.startswith("sheet controllers, row 2, field key: holds the number 7")
    assert "007 becomes 7" in problem and "Format the column as Text" in problem
    assert Controller.select().count() == 0


def test_a_date_in_a_text_column_is_reported(app):
    report = _check(workbook_bytes({"controllers": [
        ["c-1", datetime(2026, 1, 2), "1572860-0", "FI"]]}))
    [problem] = [str(error) for error in report.errors if "date" in str(error)]
    assert problem.startswith("sheet controllers, row 2, field name: holds a date (2026-01-02)")


def test_text_typed_into_text_columns_is_kept_as_typed(app):
    report = _check(workbook_bytes({"controllers": [["007", "1/2 Oy", "1572860-0", "FI"]]}))
    assert report.ok, [str(error) for error in report.errors]


def test_a_windows_1252_csv_says_which_encoding_and_where(app, tmp_path):
    folder = tmp_path / "tables"
    folder.mkdir()
    (folder / "controllers.csv").write_bytes(WINDOWS_1252_CSV)
    with pytest.raises(UnreadableFile) as refused:
        load_source(folder)
    message = str(refused.value)
    assert message.startswith("controllers.csv is not UTF-8 text: line 2 (byte 35 of the file)")
    assert "0xE4, which is 'ä' in Windows-1252" in message and "CSV UTF-8" in message


def test_one_csv_table_is_read_like_a_folder_member(app):
    content = "key,name,business_id,country\nc-007,Nolla Oy,1572860-0,FI\n".encode("utf-8-sig")
    report = _check(content, "controllers.csv")
    assert report.ok and report.counts["controllers"]["created"] == 1


@pytest.mark.parametrize(("filename", "named"), [
    ("registry.ods", "an OpenDocument spreadsheet"), ("registry.xls", "an Excel 97-2003 workbook"),
])
def test_other_spreadsheet_formats_are_asked_to_be_saved_as_xlsx_or_csv(filename, named):
    with pytest.raises(UnreadableFile) as refused:
        read_upload(filename, io.BytesIO(b"PK\x03\x04 whatever"))
    assert str(refused.value).startswith(f"{filename} is {named}")
    assert "save it as .xlsx" in str(refused.value) and "UTF-8" in str(refused.value)


def test_a_spreadsheet_under_another_name_is_not_called_bad_text():
    with pytest.raises(UnreadableFile) as refused:
        read_upload("registry.json", io.BytesIO(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\xff"))
    assert "is a spreadsheet or archive, not text" in str(refused.value)
