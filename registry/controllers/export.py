"""CSV export of the controller list: UTF-8 with a BOM so that Excel reads it, formula-safe."""

import io

from registry.csv_export import safe_cell, writer

BOM = "\ufeff"
HEADER = ("Name", "Business ID", "Country", "Status", "Compliance", "Worst finding",
          "Finding details", "Due on")


def _line(row):
    finding = row.worst_finding
    return (row.name, row.business_id, row.country, row.lifecycle, row.severity.value,
            finding.code if finding else "", finding.message if finding else "",
            finding.due_on.isoformat() if finding and finding.due_on else "")


def controllers_csv(rows):
    """Return the CSV text (BOM first) of controller list rows."""
    output = io.StringIO()
    output.write(BOM)
    lines = writer(output)
    lines.writerow(HEADER)
    for row in rows:
        lines.writerow([safe_cell(value) for value in _line(row)])
    return output.getvalue()
