"""Reading an import from a JSON file, a workbook or a folder of CSV files into a Source."""

import csv
import json
from pathlib import Path
from zipfile import BadZipFile

from openpyxl.utils.exceptions import InvalidFileException

from registry.interchange.schema import COLLECTIONS
from registry.interchange.spreadsheet import read_workbook
from registry.interchange.tabular import Source, TableReader
from registry.interchange.validate import Problem, json_location

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


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


def read_json(filename, content):
    """Parse JSON bytes into a Source, or raise UnreadableFile naming the line of the error."""
    try:
        document = json.loads(content.decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        raise UnreadableFile(f"{filename} is not UTF-8 text") from error
    except json.JSONDecodeError as error:
        raise UnreadableFile(
            f"{filename} is not valid JSON: {error.msg} at line {error.lineno}, "
            f"column {error.colno}"
        ) from error
    return Source(document, json_location)


def read_csv_folder(folder):
    """Read a folder holding one `<record type>.csv` file per record type into a Source."""
    reader = TableReader(unit="file")
    for path in sorted(Path(folder).glob("*.csv")):
        collection = path.stem
        if collection not in COLLECTIONS:
            reader.unknown_table(f"file {path.name}")
            continue
        with path.open(encoding="utf-8-sig", newline="") as file:
            rows = csv.reader(file)
            header = next(rows, [])
            reader.add_table(collection, header,
                             ((number, cells) for number, cells in enumerate(rows, start=2)))
    source = reader.source()
    if not any(collection in source.document for collection in COLLECTIONS):
        source.problems.append(Problem(str(folder), "no CSV file named after a record type "
                                       f"({', '.join(COLLECTIONS)})", (-1,)))
    return source
