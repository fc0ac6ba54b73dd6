"""Reading an import from a JSON file, a workbook or a folder of CSV files into a Source."""

import csv
import io
import json
import re
from pathlib import Path
from zipfile import BadZipFile

from openpyxl.utils.exceptions import InvalidFileException

from registry.interchange.fields import shown
from registry.interchange.schema import TABULAR_COLLECTIONS
from registry.interchange.spreadsheet import read_workbook
from registry.interchange.tabular import Source, TableReader
from registry.interchange.validate import Problem, json_location

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
CSV_SUFFIX = ".csv"
# Spreadsheet formats the importer does not read, by suffix: what to say instead of "not UTF-8".
OTHER_SPREADSHEETS = {
    ".ods": "an OpenDocument spreadsheet (LibreOffice)",
    ".xls": "an Excel 97-2003 workbook",
    ".numbers": "a Numbers spreadsheet",
}
SAVE_AS = ("save it as .xlsx (Excel workbook), or each sheet as CSV in UTF-8 named after its "
           "record type, and import that file")
# The first bytes of the files those formats are (a ZIP archive; an OLE2 compound document).
ZIP_MAGIC, OLE_MAGIC = b"PK\x03\x04", b"\xd0\xcf\x11\xe0"
# The document, a section, a record, earlier_flow_downs, one agreement, its clauses: 6 levels.
MAX_NESTING = 6
# A JSON string (skipped, so brackets inside text do not count) or an opening/closing bracket.
NESTING_TOKENS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]')


class UnreadableFile(Exception):
    """The file is not JSON, a workbook or a folder of CSV files (or is damaged)."""


def load_source(path):
    """Read `path` (FILE.json, FILE.xlsx or a folder of CSV files) into a Source."""
    path = Path(path)
    if path.is_dir():
        return read_csv_folder(path)
    with path.open("rb") as file:
        return read_upload(path.name, file)


def read_upload(filename, file):
    """Read an uploaded file (JSON, a workbook or one CSV table, told apart by its name)."""
    suffix = Path(filename).suffix.lower()
    if suffix in OTHER_SPREADSHEETS:
        raise UnreadableFile(f"{filename} is {OTHER_SPREADSHEETS[suffix]}, which the import "
                             f"does not read: {SAVE_AS}.")
    if suffix in WORKBOOK_SUFFIXES:
        try:
            return read_workbook(file)
        except (InvalidFileException, BadZipFile, OSError, KeyError, ValueError) as error:
            raise UnreadableFile(f"{filename} is not a readable .xlsx workbook") from error
    if suffix == CSV_SUFFIX:
        return read_csv_files([(Path(filename).name, file.read())], filename)
    return read_json(filename, file.read())


def decode_text(filename, content):
    """Return UTF-8 `content` as text (a BOM is dropped), or raise UnreadableFile saying where.

    The message names the first byte that is not UTF-8 (line and byte offset) and how to save
    the file as UTF-8; a file that is a spreadsheet, not text, is told apart from its first bytes.
    """
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        if content.startswith((ZIP_MAGIC, OLE_MAGIC)):
            raise UnreadableFile(f"{filename} is a spreadsheet or archive, not text: "
                                 f"{SAVE_AS}.") from error
        raise UnreadableFile(_not_utf8_message(filename, content, error.start)) from error


def _not_utf8_message(filename, content, offset):
    line = content.count(b"\n", 0, offset) + 1
    byte = content[offset:offset + 1]
    guess = byte.decode("cp1252", errors="replace")
    return (f"{filename} is not UTF-8 text: line {line} (byte {offset + 1:,} of the file) "
            f"holds the byte 0x{byte.hex().upper()}, which is {guess!r} in Windows-1252. "
            "The import expects UTF-8: save the file again as \"CSV UTF-8\" (Excel) or with "
            "the character set \"Unicode (UTF-8)\" (LibreOffice), and import again.")


class DuplicateMember(ValueError):
    """A JSON object names the same member twice (json would silently keep the last one)."""


def read_json(filename, content):
    """Parse JSON bytes into a Source, or raise UnreadableFile with a one-line reason.

    Refused besides malformed JSON: a member name twice in one object, nesting deeper than the
    format has (checked before parsing, so that no depth can exhaust the parser), and NaN or
    Infinity, which are not JSON.
    """
    text = decode_text(filename, content)
    _check_nesting(filename, text)
    try:
        document = json.loads(text, object_pairs_hook=_object_without_duplicates,
                               parse_constant=_refuse_constant)
    except json.JSONDecodeError as error:
        raise UnreadableFile(
            f"{filename} is not valid JSON: {error.msg} at line {error.lineno}, "
            f"column {error.colno}"
        ) from error
    except DuplicateMember as error:
        raise UnreadableFile(f"{filename}: {error}") from error
    except ValueError as error:  # such as an integer of more digits than Python converts
        raise UnreadableFile(f"{filename} is not valid JSON: {error}") from error
    return Source(document, json_location)


def _object_without_duplicates(pairs):
    names = set()
    for name, _value in pairs:
        if name in names:
            raise DuplicateMember(f"the member name {shown(name)} appears twice in one object; "
                                  "each name may appear once")
        names.add(name)
    return dict(pairs)


def _refuse_constant(name):
    raise ValueError(f"{name} is not a JSON value")


def _check_nesting(filename, text):
    depth = 0
    for token in NESTING_TOKENS.finditer(text):
        bracket = token.group()
        if bracket in "[{":
            depth += 1
            if depth > MAX_NESTING:
                line = text.count("\n", 0, token.start()) + 1
                column = token.start() - text.rfind("\n", 0, token.start())
                raise UnreadableFile(
                    f"{filename} nests deeper than the format's {MAX_NESTING} levels "
                    f"at line {line}, column {column}")
        elif bracket in "]}":
            depth -= 1


def read_csv_folder(folder):
    """Read a folder holding one `<record type>.csv` file per record type into a Source."""
    files = [(path.name, path.read_bytes()) for path in sorted(Path(folder).glob("*.csv"))]
    return read_csv_files(files, str(folder))


def read_csv_files(files, where):
    """Read (file name, bytes) pairs, each file one `<record type>.csv` table, into a Source."""
    reader = TableReader(unit="file")
    for name, content in files:
        collection = Path(name).stem
        if collection not in TABULAR_COLLECTIONS:
            reader.unknown_table(f"file {name}")
            continue
        text = decode_text(name, content)
        try:
            rows = csv.reader(io.StringIO(text, newline=""))
            header = next(rows, [])
            reader.add_table(collection, header,
                             ((number, cells) for number, cells in enumerate(rows, start=2)))
        except csv.Error as error:  # such as a cell longer than the csv module reads
            raise UnreadableFile(f"{name} is not a readable CSV file: {error}") from error
    source = reader.source()
    if not any(collection in source.document for collection in TABULAR_COLLECTIONS):
        source.problems.append(Problem(where, "no CSV file named after a record type "
                                       f"({', '.join(TABULAR_COLLECTIONS)})", (-1,)))
    return source
