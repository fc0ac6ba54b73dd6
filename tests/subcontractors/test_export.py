"""The subcontractor list as CSV: the rows of the filtered list, safe to open in a spreadsheet."""

import csv
import io

from registry.subcontractors.export import safe_cell
from tests.registry_factories import make_attestation, make_requirement, make_subcontractor
from tests.subcontractors.helpers import signed_in, today


def _rows(response):
    assert response.data.startswith(b"\xef\xbb\xbf"), "UTF-8 BOM for spreadsheet programs"
    return list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))


def test_export_has_the_filtered_rows_with_their_findings(client):
    signed_in(client)
    make_requirement()
    good = make_subcontractor(name="Älykäs Pilvi Oy", business_id="1572860-0",
                              processing_countries=["FI", "SE"], contacts=["a@x.example"])
    make_attestation(good)
    make_subcontractor(name="Puuttuva Oy")
    make_subcontractor(name="Poissa Oy", status="offboarded", offboarded_on=today())
    response = client.get("/subcontractors/export.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="subcontractors-{today().isoformat()}.csv"')
    header, *rows = _rows(response)
    assert header[:6] == ["Name", "Business ID", "Country", "Risk tier", "Status",
                          "Worst finding"]
    by_name = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    assert set(by_name) == {"Älykäs Pilvi Oy", "Puuttuva Oy"}
    assert by_name["Älykäs Pilvi Oy"]["Worst finding"] == "green"
    assert by_name["Älykäs Pilvi Oy"]["Requirements met"] == "1 of 1"
    assert by_name["Älykäs Pilvi Oy"]["Processing locations"] == "FI SE"
    assert by_name["Puuttuva Oy"]["Worst finding"] == "red"
    assert by_name["Puuttuva Oy"]["Red findings"] == "1"
    assert "low questionnaire: missing" in by_name["Puuttuva Oy"]["Requirements"]
    red_only = _rows(client.get("/subcontractors/export.csv?worst=red&status=all"))
    assert [row[0] for row in red_only[1:]] == ["Puuttuva Oy"]


def test_export_neutralises_formulas(client):
    signed_in(client)
    make_subcontractor(name="=HYPERLINK(\"http://evil.example\",\"x\")",
                       purpose="+1 and -2 @home")
    header, row = _rows(client.get("/subcontractors/export.csv"))
    record = dict(zip(header, row, strict=True))
    assert record["Name"].startswith("'=HYPERLINK")
    assert record["Purpose"] == "'+1 and -2 @home"


def test_safe_cell_prefixes_every_formula_start():
    for value in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert safe_cell(value) == "'" + value
    assert safe_cell("Acme Oy") == "Acme Oy"
    assert safe_cell(None) == ""
    assert safe_cell(12) == "12"


def test_auditor_may_export(client):
    signed_in(client, "auditor")
    make_subcontractor(name="Acme Oy")
    assert client.get("/subcontractors/export.csv").status_code == 200
