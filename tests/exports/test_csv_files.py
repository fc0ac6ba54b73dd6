"""Every CSV the registry writes: every field quoted, no cell a spreadsheet reads as a date."""

import pathlib

import pytest

import registry
from tests.auth_helpers import login
from tests.exports.helpers import assert_every_field_quoted, csv_rows, date_like_cells
from tests.exports.world import evidence_world
from tests.factories import make_user

CSV_EXPORTS = ("/controllers/export.csv", "/subcontractors/export.csv", "/audit/export.csv",
               "/review/register.csv")


@pytest.mark.parametrize("url", CSV_EXPORTS)
def test_every_field_is_quoted_and_nothing_reads_as_a_date(app, client, url):
    evidence_world()
    login(client, make_user("auditor"))
    response = client.get(url)
    assert response.status_code == 200
    assert_every_field_quoted(response.data)
    rows = csv_rows(response.data)
    assert len(rows) > 1 and len({len(row) for row in rows}) == 1, "columns must not shift"
    # Only the reference typed as "1/2" may look like a date: it is the user's text, kept as is.
    assert set(date_like_cells(rows)) <= {"1/2"}


def test_subcontractor_requirements_read_one_of_one(app, client):
    evidence_world()
    login(client, make_user("auditor"))
    header, *rows = csv_rows(client.get("/subcontractors/export.csv").data)
    met = {row[0]: row[header.index("Requirements met")] for row in rows}
    assert met["Semi;colon Oy"] == "1 of 1"


def test_no_module_writes_csv_around_the_shared_writer():
    package = pathlib.Path(registry.__file__).parent
    offenders = [str(path.relative_to(package)) for path in package.rglob("*.py")
                 if path.name != "csv_export.py" and "csv.writer(" in path.read_text()]
    assert offenders == [], "write CSV with registry.csv_export.writer (quotes every field)"
