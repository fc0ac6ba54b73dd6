"""CSV files for spreadsheet programs: every field quoted, no cell a formula (CWE-1236).

Every CSV the registry writes uses `writer` and `safe_cell`, never `csv.writer` directly.
"""

import csv

# A spreadsheet runs a cell as a formula when its first character - after any spaces, which
# Excel and LibreOffice skip - is one of these. Full-width forms are folded by some versions.
FORMULA_STARTS = ("=", "+", "-", "@", "＝", "＋", "－", "＠")
# These start a formula (or hide one on the next line) even before the spaces are skipped.
CONTROL_STARTS = ("\t", "\r", "\n")


def is_formula_like(text):
    """Tell whether a spreadsheet could read `text` as a formula."""
    return text.startswith(CONTROL_STARTS) or text.lstrip().startswith(FORMULA_STARTS)


def safe_cell(value):
    """Return `value` as text a spreadsheet shows as text, never runs as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if is_formula_like(text) else text


def writer(output):
    """Return a csv.writer on `output` that quotes every field and ends lines with CRLF."""
    return csv.writer(output, lineterminator="\r\n", quoting=csv.QUOTE_ALL)


def sha256_cell(digest):
    """Return a SHA-256 hex digest as `sha256:<hex>`, or "" for none.

    A digest of digits only (the audit chain's first `000…0`) or of the shape `12e45` is read
    as a number by a spreadsheet and loses its value; the prefix keeps every digest text.
    """
    return f"sha256:{digest}" if digest else ""
