"""Checks shared by the export tests: CSV files as spreadsheet programs read them."""

import csv
import io
import re

QUOTED_FIELD = r'"(?:[^"]|"")*"'
QUOTED_LINE = re.compile(rf"{QUOTED_FIELD}(?:,{QUOTED_FIELD})*\r\n")
# What a spreadsheet turns into a date or a fraction when it opens a CSV: "1/1", "3/12".
DATE_LIKE = re.compile(r"^\s*\d{1,4}\s*/\s*\d{1,4}(?:\s*/\s*\d{1,4})?\s*$")


def assert_every_field_quoted(data):
    """Fail unless `data` (CSV bytes with BOM) quotes every field of every line."""
    assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 BOM for spreadsheet programs"
    text = data.decode("utf-8-sig")
    position = 0
    while position < len(text):
        line = QUOTED_LINE.match(text, position)
        assert line, f"unquoted field near {text[position:position + 80]!r}"
        position = line.end()


def csv_rows(data):
    """Return the rows of CSV bytes (UTF-8 with BOM)."""
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def date_like_cells(rows):
    """Return the cells a spreadsheet would read as a date or fraction."""
    return [cell for row in rows for cell in row if DATE_LIKE.match(cell)]
