"""Tables (spreadsheet sheets, CSV files) into interchange records, and back into cells.

A table has one header row of column names (`schema.columns`: dotted names for nested fields)
and one record per row. Cells are read leniently into the JSON shapes the validator checks:
`;` separates list items, yes/no (or true/false, 1/0, x) are booleans, spreadsheet dates become
YYYY-MM-DD. A cell that cannot be read is passed on as it is, so the validator names the row and
column with its reason.

Text and key columns must hold text. A number or a date there is what a spreadsheet made of
what was typed (`007` became 7, `1/2` became 2 January), so it is reported, never stored.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time

from registry.interchange.schema import (
    COLLECTIONS,
    FORMAT,
    RECORD_FIELDS,
    TABULAR_COLLECTIONS,
    columns,
)
from registry.interchange.validate import Problem, TableLocator

LIST_SEPARATOR = ";"
TRUE_WORDS = {"yes", "true", "1", "x", "y"}
FALSE_WORDS = {"no", "false", "0", "n"}
LIST_KINDS = {"list", "emails", "countries"}
NESTED_KINDS = {"clauses", "description", "flow_down"}
# Kinds whose cells are text (keys, references, names, lists): a spreadsheet must not convert them.
TEXT_KINDS = {"text", "ref", "type", "country", "description", *LIST_KINDS}


def text_columns(collection):
    """Return the names of the columns of `collection` that hold text (keys included)."""
    kinds = {spec.name: spec.kind for spec in RECORD_FIELDS[collection] if spec.tabular}
    return {name for name in columns(collection)
            if kinds.get(name, kinds.get(name.split(".", 1)[0])) in TEXT_KINDS}


def converted_value_reason(value):
    """Return why a text cell holding `value` was converted by a spreadsheet, or None."""
    if isinstance(value, datetime | date | time):
        shown = value.date().isoformat() if isinstance(value, datetime) else value.isoformat()
        return (f"holds a date ({shown}), not text: a spreadsheet turns values like 1/2 into "
                "dates. Format the column as Text (the template does), type the value again "
                "and import again")
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = int(value) if isinstance(value, float) and value.is_integer() else value
        return (f"holds the number {number}, not text: a spreadsheet drops leading zeros "
                "(007 becomes 7). Format the column as Text (the template does), type the "
                "value again and import again")
    return None


@dataclass
class Source:
    """A document read from a file, how to name places in it, and problems found reading it."""

    document: dict
    locate: object
    problems: list = field(default_factory=list)


@dataclass
class TableReader:
    """Collects the rows of several tables into one document, remembering each row's number."""

    unit: str = "sheet"
    document: dict = field(default_factory=lambda: {"format": FORMAT})
    rows: dict = field(default_factory=dict)
    problems: list = field(default_factory=list)

    def add_table(self, collection, header, rows):
        """Read a table whose rows are (row number, cells) into the `collection` section."""
        where = f"sheet {collection}" if self.unit == "sheet" else f"{collection}.csv"
        header = [str(name).strip() if name is not None else "" for name in header]
        known = set(columns(collection))
        texts = text_columns(collection)
        position = (COLLECTIONS.index(collection), -1)
        for name in header:
            if name and name not in known:
                self.problems.append(
                    Problem(f"{where}, row 1, field {name}", "unknown column", position)
                )
        records, numbers = [], []
        for number, cells in rows:
            values = dict(zip(header, cells, strict=False))
            values = {name: value for name, value in values.items() if name in known}
            if all(_is_blank(value) for value in values.values()):
                continue
            self._report_converted(values, texts, f"{where}, row {number}",
                                   (COLLECTIONS.index(collection), len(records)))
            records.append(row_to_record(collection, values))
            numbers.append(number)
        self.document[collection] = records
        self.rows[collection] = numbers

    def _report_converted(self, values, texts, where, position):
        """Report the text cells a spreadsheet turned into numbers or dates.

        The import then writes nothing, so the converted value is never stored.
        """
        for name in sorted(texts & values.keys()):
            reason = converted_value_reason(values[name])
            if reason:
                self.problems.append(Problem(f"{where}, field {name}", reason, position))

    def unknown_table(self, name):
        """Report a sheet or file that is not one of the record types."""
        self.problems.append(Problem(name, f"unknown {self.unit}: expected one of "
                                           f"{', '.join(TABULAR_COLLECTIONS)}", (-1,)))

    def source(self):
        """Return what was read as a Source."""
        return Source(self.document, TableLocator(self.rows, self.unit), self.problems)


def _is_blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


def row_to_record(collection, values):
    """Return the record of one table row given as {column name: cell value}."""
    record = {}
    for spec in RECORD_FIELDS[collection]:
        if not spec.tabular:
            continue
        if spec.kind in NESTED_KINDS:
            nested = _nested(spec, values)
            if nested is not None:
                record[spec.name] = nested
        elif not _is_blank(values.get(spec.name)):
            record[spec.name] = read_cell(spec.kind, values[spec.name])
    return record


def _nested(spec, values):
    prefix = f"{spec.name}."
    cells = {name[len(prefix):]: value for name, value in values.items()
             if name.startswith(prefix) and not _is_blank(value)}
    if not cells:
        return None
    nested = {}
    for name, value in cells.items():
        outer, _, inner = name.partition(".")
        if inner:  # flow_down.clauses.<key>
            nested.setdefault(outer, {})[inner] = read_cell("bool", value)
        elif spec.kind == "clauses":
            nested[name] = read_cell("bool", value)
        elif spec.kind == "flow_down":
            nested[name] = read_cell("date", value)
        else:
            nested[name] = read_cell("text", value)
    return nested


def read_cell(kind, value):
    """Return a non-blank cell value in the JSON shape of a field of `kind`."""
    if isinstance(value, str):
        value = value.strip()
    if kind in LIST_KINDS:
        return [item.strip() for item in str(value).split(LIST_SEPARATOR) if item.strip()]
    if kind == "date" and isinstance(value, datetime | date):
        return value.date().isoformat() if isinstance(value, datetime) else value.isoformat()
    if kind == "int":
        return _read_int(value)
    if kind == "bool":
        return _read_bool(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value if isinstance(value, str) else str(value)


def _read_int(value):
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.isascii() and value.lstrip("-").isdigit():
        return int(value)
    return value


def _read_bool(value):
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    return value
