"""A folder of CSV files, one per record type, with the workbook's headers."""

import csv

from registry.interchange.importer import import_source
from registry.interchange.schema import columns
from registry.interchange.sources import load_source
from registry.models import Attestation, Controller, Dpa, Subcontractor


def write_csv(folder, collection, rows):
    """Write `<collection>.csv` with the full header and the given rows (dicts by column)."""
    with (folder / f"{collection}.csv").open("w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=columns(collection))
        writer.writeheader()
        writer.writerows(rows)


def test_a_folder_of_csv_files_imports(app, tmp_path):
    write_csv(tmp_path, "controllers", [
        {"key": "c-aurora", "name": "Aurora Kauppa Oy", "business_id": "1572860-0",
         "privacy_contacts": "privacy@aurora.example", "services": "online store"},
    ])
    write_csv(tmp_path, "dpas", [
        {"controller": "c-aurora", "version": "2", "title": "DPA", "status": "signed",
         "signed_on": "2025-03-01", "objection_period_days": "14",
         "subprocessor_authorisation": "specific",
         "clauses.documented_instructions": "yes", "clauses.confidentiality": "no"},
    ])
    write_csv(tmp_path, "subcontractors", [
        {"key": "s-mail", "name": "Mailer Inc", "country": "US", "tier": "low",
         "transfer_mechanism": "dpf", "processing_countries": "US;IE",
         "handles_card_data": "no"},
    ])
    write_csv(tmp_path, "attestations", [
        {"subcontractor": "s-mail", "type": "security_questionnaire",
         "issued_on": "2026-01-15"},
    ])

    report = import_source(load_source(tmp_path))

    assert report.ok, [str(problem) for problem in report.errors]
    assert Controller.get().services == ["online store"]
    dpa = Dpa.get()
    assert (dpa.version, dpa.objection_period_days) == (2, 14)
    assert dpa.clauses["documented_instructions"] and not dpa.clauses["confidentiality"]
    assert Subcontractor.get().processing_countries == ["US", "IE"]
    assert Attestation.get().review == "pending"


def test_csv_problems_name_the_file_row_and_column(app, tmp_path):
    write_csv(tmp_path, "controllers", [
        {"key": "c-a", "name": "A AB", "country": "SE"},
        {"key": "c-b", "name": "B AB", "country": "SE", "status": "closed"},
    ])
    write_csv(tmp_path, "dpas", [{"controller": "c-x", "title": "DPA", "version": "two",
                                  "subprocessor_authorisation": "general"}])
    (tmp_path / "contacts.csv").write_text("name\nx\n", encoding="utf-8")

    report = import_source(load_source(tmp_path))

    assert [str(problem) for problem in report.errors] == [
        "file contacts.csv: unknown file: expected one of controllers, dpas, instructions, "
        "subcontractors, engagements, attestations",
        "controllers.csv, row 3, field status: bad value 'closed': must be one of active, ended",
        "dpas.csv, row 2, field version: bad number 'two': expected a whole number",
        "dpas.csv, row 2, field controller: unknown controller key 'c-x'",
    ]
    assert Controller.select().count() == 0


def test_a_folder_without_csv_files_is_refused(app, tmp_path):
    report = import_source(load_source(tmp_path))

    assert [problem.reason for problem in report.errors] == [
        "no CSV file named after a record type (controllers, dpas, instructions, "
        "subcontractors, engagements, attestations)"
    ]
