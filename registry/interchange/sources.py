"""Reading an import from a JSON file, a workbook or a folder of CSV files into a Source."""

import csv
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
    """Read an uploaded file (JSON or a workbook, told apart by its name) into a Source."""
    if filename.lower().endswith(WORKBOOK_SUFFIXES):
        try:
            return read_workbook(file)
        except (InvalidFileException, BadZipFile, OSError, KeyError, ValueError) as error:
            raise UnreadableFile(f"{filename} is not a readable .xlsx workbook") from error
    return read_json(filename, file.read())


class DuplicateMember(ValueError):
    """A JSON object names the same member twice (json would silently keep the last one)."""


def read_json(filename, content):
    """Parse JSON bytes into a Source, or raise UnreadableFile with a one-line reason.

    Refused besides malformed JSON: a member name twice in one object, nesting deeper than the
    format has (checked before parsing, so that no depth can exhaust the parser), and NaN or
    Infinity, which are not JSON.
    """
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UnreadableFile(f"{filename} is not UTF-8 text") from error
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
    reader = TableReader(unit="file")
    for path in sorted(Path(folder).glob("*.csv")):
        collection = path.stem
        if collection not in TABULAR_COLLECTIONS:
            reader.unknown_table(f"file {path.name}")
            continue
        try:
            with path.open(encoding="utf-8-sig", newline="") as file:
                rows = csv.reader(file)
                header = next(rows, [])
                reader.add_table(collection, header,
                                 ((number, cells) for number, cells in enumerate(rows, start=2)))
        except UnicodeDecodeError as error:
            raise UnreadableFile(f"{path.name} is not UTF-8 text") from error
        except csv.Error as error:  # such as a cell longer than the csv module reads
            raise UnreadableFile(f"{path.name} is not a readable CSV file: {error}") from error
    source = reader.source()
    if not any(collection in source.document for collection in TABULAR_COLLECTIONS):
        source.problems.append(Problem(str(folder), "no CSV file named after a record type "
                                       f"({', '.join(TABULAR_COLLECTIONS)})", (-1,)))
    return source
