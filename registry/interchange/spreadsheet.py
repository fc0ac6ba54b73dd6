"""The import workbook (openpyxl): an empty template to fill in, and reading a filled one back.

The template's first sheet explains every column; then one sheet per record type, its header
row holding the same field names as the JSON format, with drop-down lists for enumerations.
Text and key columns are formatted as Text ("@"), so that Excel and LibreOffice keep what is
typed there (`007`, `1/2`) instead of turning it into a number or a date.
"""

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from registry.interchange.schema import (
    RECORD_FIELDS,
    RECORD_HELP,
    TABULAR_COLLECTIONS,
    column_help,
    columns,
)
from registry.interchange.tabular import TableReader, text_columns

GUIDE_SHEET = "how to fill in"
LISTS_SHEET = "lists"
IGNORED_SHEETS = {GUIDE_SHEET, LISTS_SHEET}
VALIDATED_ROWS = 2000
TEXT_FORMAT = "@"
HEADER_FILL = PatternFill("solid", fgColor="DDE7F0")
GUIDE_TEXT = (
    "How to fill in this workbook",
    "Each sheet after this one holds one kind of record, one record per row. Keep the header "
    "row as it is; an empty cell means 'not known'.",
    "Records refer to each other by the key you choose (a business ID or an internal code): "
    "a DPA's 'controller' column holds the controller's key. In engagements, * as the "
    "controller means every controller.",
    "Dates: YYYY-MM-DD. Yes/no columns: yes or no. Several values in one cell: separate them "
    "with ; (semicolon).",
    "Key and text columns are formatted as Text so that 007 stays 007 and 1/2 stays 1/2. When "
    "you paste, paste values only (keep the formatting); a number or a date found in a text "
    "column is reported, not imported.",
    "Import with `dpa-registry import FILE.xlsx --dry-run` (or the portal's Import page) to see "
    "every problem by sheet, row and column before anything is written.",
)


def write_template(path, attestation_types):
    """Write an empty import workbook to `path`; `attestation_types` are the valid type codes."""
    workbook = Workbook()
    _guide(workbook.active)
    choices = _choices(attestation_types)
    lists = workbook.create_sheet(LISTS_SHEET)
    ranges = _write_lists(lists, choices)
    for collection in TABULAR_COLLECTIONS:
        _data_sheet(workbook.create_sheet(collection), collection, ranges)
    lists.sheet_state = "hidden"
    workbook.save(path)


def _guide(sheet):
    sheet.title = GUIDE_SHEET
    for text in GUIDE_TEXT:
        sheet.append([text])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([])
    header_row = sheet.max_row + 1
    sheet.append(["sheet", "column", "what it means", "allowed values"])
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
    for collection in TABULAR_COLLECTIONS:
        sheet.append([collection, "", RECORD_HELP[collection], ""])
        sheet.cell(sheet.max_row, 1).font = Font(bold=True)
        for name, meaning, allowed in column_help(collection):
            sheet.append(["", name, meaning, allowed])
    for letter, width in zip("ABCD", (16, 42, 90, 40), strict=True):
        sheet.column_dimensions[letter].width = width
    for row in sheet.iter_rows(min_row=header_row, min_col=3, max_col=3):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")


def _choices(attestation_types):
    """Return {list name: allowed values} for every drop-down the sheets use."""
    choices = {"yes_no": ("yes", "no"), "type": tuple(attestation_types)}
    for collection, fields in RECORD_FIELDS.items():
        for spec in fields:
            if spec.kind == "enum":
                choices[f"{collection}_{spec.name}"] = spec.choices
    return choices


def _write_lists(sheet, choices):
    ranges = {}
    for index, (name, values) in enumerate(sorted(choices.items()), start=1):
        letter = get_column_letter(index)
        sheet.cell(1, index, name)
        for row, value in enumerate(values, start=2):
            sheet.cell(row, index, value)
        last = max(len(values) + 1, 2)
        ranges[name] = f"{quote_sheetname(LISTS_SHEET)}!${letter}$2:${letter}${last}"
    return ranges


def _list_name(collection, name):
    spec = next((spec for spec in RECORD_FIELDS[collection] if spec.name == name), None)
    if spec is None:  # a dotted column of a nested field
        return "yes_no" if ".clauses." in f".{name}" else None
    if spec.kind == "enum":
        return f"{collection}_{spec.name}"
    if spec.kind == "bool":
        return "yes_no"
    if spec.kind == "type":
        return "type"
    return None


def _data_sheet(sheet, collection, ranges):
    names = columns(collection)
    texts = text_columns(collection)
    sheet.append(names)
    for index, name in enumerate(names, start=1):
        cell = sheet.cell(1, index)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        column = sheet.column_dimensions[get_column_letter(index)]
        column.width = max(14, len(name) + 2)
        if name in texts:
            column.number_format = TEXT_FORMAT
        list_name = _list_name(collection, name)
        if list_name:
            letter = get_column_letter(index)
            validation = DataValidation(type="list", formula1=ranges[list_name],
                                        allow_blank=True, showErrorMessage=True,
                                        errorTitle=name, error=f"Choose a value for {name}.")
            validation.add(f"{letter}2:{letter}{VALIDATED_ROWS}")
            sheet.add_data_validation(validation)
    sheet.freeze_panes = "A2"


def read_workbook(file):
    """Read a filled workbook (a path or a binary file) into a Source."""
    workbook = load_workbook(file, read_only=True, data_only=True)
    reader = TableReader(unit="sheet")
    try:
        for sheet in workbook.worksheets:
            if sheet.title in IGNORED_SHEETS:
                continue
            if sheet.title not in TABULAR_COLLECTIONS:
                reader.unknown_table(f"sheet {sheet.title}")
                continue
            rows = sheet.iter_rows(values_only=True)
            header = next(rows, ())
            reader.add_table(sheet.title, header,
                             ((number, cells) for number, cells in enumerate(rows, start=2)))
    finally:
        workbook.close()
    return reader.source()
