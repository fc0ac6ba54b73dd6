"""The import workbook: the template's layout, and a filled-in template imported back."""

from datetime import date

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from registry.interchange.cli import attestation_type_codes
from registry.interchange.importer import import_source
from registry.interchange.schema import COLLECTIONS, TABULAR_COLLECTIONS, columns
from registry.interchange.sources import load_source
from registry.interchange.spreadsheet import GUIDE_SHEET, write_template
from registry.models import Controller, Dpa, Engagement, FlowDownAgreement, Subcontractor
from tests.interchange.samples import fill_workbook

ROWS = {
    "controllers": [
        {"key": "c-aurora", "name": "Aurora Kauppa Oy", "business_id": "1572860-0",
         "country": "FI", "privacy_contacts": "privacy@aurora.example; dpo@aurora.example",
         "services": "online store;reward shop", "status": "active"},
        {"key": "c-museo", "name": "Taidemuseo sr", "business_id": "0201256-6",
         "ordered_via": "Museokortti Oy"},
    ],
    "dpas": [
        {"controller": "c-aurora", "version": 1, "title": "DPA", "status": "signed",
         "signed_on": date(2025, 3, 1), "effective_from": "2025-03-01",
         "subprocessor_authorisation": "general", "objection_period_days": 30,
         "breach_notice_hours": 48, "clauses.documented_instructions": "yes",
         "clauses.confidentiality": "yes", "clauses.security_art32": True,
         "clauses.audits_and_information": "no", "description.subject_matter": "Web shop"},
    ],
    "subcontractors": [
        {"key": "s-hosting", "name": "Pilvi Hosting Oy", "business_id": "0112038-9",
         "tier": "high", "status": "active", "processing_countries": "FI; se",
         "handles_card_data": "yes", "flow_down.signed_on": date(2024, 5, 1),
         "flow_down.clauses.confidentiality": "yes"},
    ],
    "engagements": [
        {"subcontractor": "s-hosting", "controller": "*", "on_list_at_signing": "yes"},
    ],
    "attestations": [
        {"subcontractor": "s-hosting", "type": "iso27001", "reference": "4711",
         "issued_on": date(2024, 3, 1), "standard_version": "2022", "review": "accepted"},
    ],
}


def test_the_template_has_a_guide_and_one_sheet_per_record_type(app, tmp_path):
    path = tmp_path / "template.xlsx"
    write_template(path, attestation_type_codes())

    workbook = load_workbook(path)

    assert workbook.sheetnames[0] == GUIDE_SHEET
    sheets = [name for name in workbook.sheetnames if name in COLLECTIONS]
    assert sheets == list(TABULAR_COLLECTIONS)  # incidents are JSON only
    guide = list(workbook[GUIDE_SHEET].iter_rows(values_only=True))
    explained = {row[1] for row in guide if len(row) > 1 and row[1]}
    for collection in TABULAR_COLLECTIONS:
        header = [cell.value for cell in workbook[collection][1]]
        assert header == columns(collection)
        assert set(header) <= explained
        assert workbook[collection].max_row == 1
    validations = workbook["subcontractors"].data_validations.dataValidation
    tier = get_column_letter(columns("subcontractors").index("tier") + 1)
    assert any(str(rule.sqref) == f"{tier}2:{tier}2000" for rule in validations)
    lists = workbook["lists"]
    values = {cell.value for row in lists.iter_rows() for cell in row}
    assert {"low", "medium", "high", "iso27001", "yes", "no"} <= values


def test_a_filled_template_imports(app, tmp_path):
    path = tmp_path / "registry.xlsx"
    write_template(path, attestation_type_codes())
    fill_workbook(path, ROWS)

    report = import_source(load_source(path))

    assert report.ok, [str(problem) for problem in report.errors]
    aurora = Controller.get(key="c-aurora")
    assert aurora.privacy_contacts == ["privacy@aurora.example", "dpo@aurora.example"]
    assert Controller.get(key="c-museo").country == "FI"
    dpa = Dpa.get()
    assert dpa.clauses["security_art32"] and not dpa.clauses["audits_and_information"]
    assert str(dpa.signed_on) == "2025-03-01" and dpa.subject_matter == "Web shop"
    hosting = Subcontractor.get(key="s-hosting")
    assert hosting.processing_countries == ["FI", "SE"] and hosting.handles_card_data
    assert FlowDownAgreement.get().clauses["confidentiality"]
    assert Engagement.get().controller is None
    assert hosting.attestations[0].reference == "4711"
    assert import_source(load_source(path)).changed is False


def test_workbook_problems_name_the_sheet_row_and_column(app, tmp_path):
    path = tmp_path / "registry.xlsx"
    write_template(path, attestation_type_codes())
    rows = {name: [dict(record) for record in records] for name, records in ROWS.items()}
    rows["controllers"][1]["business_id"] = "0201256-5"
    rows["dpas"][0]["signed_on"] = "1.3.2025"
    rows["dpas"][0]["clauses.confidentiality"] = "perhaps"
    rows["attestations"][0]["type"] = "iso9001"
    fill_workbook(path, rows)

    report = import_source(load_source(path))

    assert [str(problem) for problem in report.errors] == [
        "sheet controllers, row 3, field business_id: This is not a valid Y-tunnus: "
        "check digit should be 6.",
        "sheet dpas, row 2, field signed_on: bad date '1.3.2025': expected YYYY-MM-DD",
        "sheet dpas, row 2, field clauses.confidentiality: bad value 'perhaps': "
        "expected true or false",
        "sheet attestations, row 2, field type: unknown attestation type 'iso9001'",
    ]
    assert Controller.select().count() == 0


def test_unknown_sheets_and_columns_are_reported(app, tmp_path):
    path = tmp_path / "registry.xlsx"
    write_template(path, attestation_type_codes())
    workbook = load_workbook(path)
    workbook.create_sheet("notes")
    workbook["controllers"].cell(1, 30, "colour")
    workbook["controllers"].append(["c-a", "A AB", None, "SE"])
    workbook.save(path)

    report = import_source(load_source(path))

    assert [str(problem) for problem in report.errors] == [
        "sheet notes: unknown sheet: expected one of controllers, dpas, instructions, "
        "subcontractors, engagements, attestations",
        "sheet controllers, row 1, field colour: unknown column",
    ]
