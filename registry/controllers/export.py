"""CSV export of the controller list: UTF-8 with a BOM so that Excel reads it, formula-safe."""

import csv
import io

BOM = "\ufeff"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
HEADER = ("Name", "Business ID", "Country", "Status", "Compliance", "Worst finding",
          "Finding details", "Due on")


def safe_cell(value):
    """Return `value` as text that a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def _line(row):
    finding = row.worst_finding
    return (row.name, row.business_id, row.country, row.lifecycle, row.severity.value,
            finding.code if finding else "", finding.message if finding else "",
            finding.due_on.isoformat() if finding and finding.due_on else "")


def controllers_csv(rows):
    """Return the CSV text (BOM first) of controller list rows."""
    output = io.StringIO()
    output.write(BOM)
    writer = csv.writer(output, lineterminator="\r\n")
    writer.writerow(HEADER)
    for row in rows:
        writer.writerow([safe_cell(value) for value in _line(row)])
    return output.getvalue()
