"""Import refuses what the forms refuse, in the forms' words (registry/validation.py)."""

from datetime import date

import pytest

from registry.interchange.cli import attestation_type_codes
from registry.interchange.importer import import_document, import_source
from registry.interchange.sources import load_source
from registry.interchange.spreadsheet import write_template
from registry.models import Controller, Subcontractor
from tests.interchange.samples import fill_workbook, sample_document

TODAY = date(2026, 11, 25)
NOT_DATED = "without it this {} cannot be dated, so it would count for nothing."


@pytest.mark.parametrize(
    ("section", "index", "change", "location", "reason"),
    [
        ("dpas", 1, {"signed_on": "2026-11-26", "effective_from": "2026-11-26"},
         "dpas[1].signed_on", "The signature date cannot be in the future."),
        ("instructions", 1, {"received_on": "2026-12-01"}, "instructions[1].received_on",
         "The date received cannot be in the future."),
        ("instructions", 0, {"acknowledged_on": "2026-11-26"}, "instructions[0].acknowledged_on",
         "The acknowledgement date cannot be in the future."),
        ("engagements", 1, {"notified_on": "2026-11-26", "objection_deadline": "2026-12-31"},
         "engagements[1].notified_on", "The notice date cannot be in the future."),
        ("engagements", 1, {"approved_on": "2026-11-30"}, "engagements[1].approved_on",
         "The approval date cannot be in the future."),
        ("subcontractors", 0, {"flow_down": {"signed_on": "2026-12-24"}},
         "subcontractors[0].flow_down.signed_on", "The signature date cannot be in the future."),
        ("subcontractors", 1, {"tia_on": "2027-01-01"}, "subcontractors[1].tia_on",
         "The transfer impact assessment date cannot be in the future."),
        ("dpas", 1, {"expires_on": "2025-03-01"}, "dpas[1].expires_on",
         "The expiry date must come after the day it comes into force."),
        ("attestations", 0, {"valid_until": "2024-02-01"}, "attestations[0].valid_until",
         "The expiry date must be after the issue date."),
        ("attestations", 1, {"period_end": "2024-12-31"}, "attestations[1].period_end",
         "The period cannot end before it starts."),
        ("controllers", 0, {"business_id": None}, "controllers[0].business_id",
         "Enter the Y-tunnus of this Finnish company."),
        ("controllers", 0, {"status": "ended", "ended_on": None}, "controllers[0].ended_on",
         "Enter the day the controller relationship ended."),
        ("subcontractors", 0, {"business_id": "0112038-8"}, "subcontractors[0].business_id",
         "This is not a valid Y-tunnus: check digit should be 9."),
        ("engagements", 1, {"objection_deadline": "2026-10-01"},
         "engagements[1].objection_deadline",
         "The objection deadline cannot be before the notice date."),
        ("engagements", 1, {"objection_deadline": "2026-10-15"},
         "engagements[1].objection_deadline",
         "The objection deadline cannot be before 2026-10-16: the DPA gives the controller 14 "
         "days from the notice to object."),
        ("engagements", 1, {"notified_on": None}, "engagements[1].objection_deadline",
         "An objection deadline needs the notice date (notified_on)."),
        ("dpas", 2, {"objection_period_days": 0}, "dpas[2].objection_period_days",
         "The objection period must be from 1 to 365 days."),
        ("dpas", 1, {"status": "terminated", "terminated_on": "2026-06-30"},
         "dpas[1].return_or_deletion", "Choose what happens to the personal data at the end: "
         "return, deletion, or return then deletion."),
        ("dpas", 1, {"subprocessor_authorisation": None}, "dpas[1].subprocessor_authorisation",
         "required: one of general, specific"),
        ("attestations", 1, {"period_end": None}, "attestations[1].period_end",
         "Enter the last day of the report period (period_end): "
         + NOT_DATED.format("SOC 2 Type II report")),
        ("attestations", 0, {"valid_until": "2027-03-02"}, "attestations[0].valid_until",
         "The expiry date cannot be after 2027-03-01: this ISO/IEC 27001 certificate counts for "
         "at most 36 months from its issue or report date (issued_on)."),
        ("attestations", 0, {"issued_on": "2026-11-26", "valid_until": None},
         "attestations[0].issued_on", "The issue date cannot be in the future."),
    ],
)
def test_each_shared_rule_refuses_the_import(app, section, index, change, location, reason):
    document = sample_document()
    document[section][index].update(change)

    report = import_document(document, today=TODAY)

    assert [(problem.location, problem.reason) for problem in report.errors] == [
        (location, reason)
    ]
    assert Controller.select().count() == 0


@pytest.mark.parametrize(("evidence", "location", "reason"), [
    ({"type": "pentest_report", "issuer": "Nixu"}, "attestations[2].issued_on",
     "Enter the issue or report date (issued_on): "
     + NOT_DATED.format("Penetration test report")),
    ({"type": "cyber_insurance", "issued_on": "2026-01-01"}, "attestations[2].valid_until",
     "Enter the expiry date (valid_until): "
     + NOT_DATED.format("Cyber insurance certificate")),
])
def test_evidence_that_cannot_be_dated_is_refused(app, evidence, location, reason):
    document = sample_document()
    document["attestations"].append({"subcontractor": "s-hosting", **evidence})

    report = import_document(document, today=TODAY)

    assert [(problem.location, problem.reason) for problem in report.errors] == [
        (location, reason)
    ]


def test_a_deadline_is_checked_against_a_dpa_already_in_the_registry(app):
    import_document(sample_document(), today=TODAY)
    addition = {"format": "dpa-registry/1", "engagements": [
        {"subcontractor": "s-hosting", "controller": "c-aurora", "notified_on": "2026-11-01",
         "objection_deadline": "2026-11-10"},
    ]}

    report = import_document(addition, today=TODAY)

    assert [str(problem) for problem in report.errors] == [
        "engagements[0].objection_deadline: The objection deadline cannot be before "
        "2026-11-15: the DPA gives the controller 14 days from the notice to object."
    ]


def test_business_ids_are_stored_normalised(app):
    document = sample_document()
    document["controllers"][0]["business_id"] = " 1572860-0 "
    document["subcontractors"][0]["business_id"] = "112038-9"

    report = import_document(document, today=TODAY)

    assert report.ok, report.errors
    assert Controller.get(key="c-aurora").business_id == "1572860-0"
    assert Subcontractor.get(key="s-hosting").business_id == "0112038-9"
    assert import_document(document, today=TODAY).changed is False


WORKBOOK_ROWS = {
    "controllers": [{"key": "c-aurora", "name": "Aurora Kauppa Oy", "business_id": "1572860-0",
                     "country": "FI"}],
    "dpas": [{"controller": "c-aurora", "title": "DPA", "status": "signed",
              "signed_on": "2026-03-01", "subprocessor_authorisation": "general"}],
}


@pytest.mark.parametrize(("sheet", "change", "problem"), [
    ("dpas", {"signed_on": date(2026, 11, 26)},
     "sheet dpas, row 2, field signed_on: The signature date cannot be in the future."),
    ("dpas", {"subprocessor_authorisation": None},
     "sheet dpas, row 2, field subprocessor_authorisation: required: one of general, specific"),
    ("dpas", {"status": "terminated", "terminated_on": "2026-10-31"},
     "sheet dpas, row 2, field return_or_deletion: Choose what happens to the personal data at "
     "the end: return, deletion, or return then deletion."),
    ("controllers", {"business_id": ""},
     "sheet controllers, row 2, field business_id: Enter the Y-tunnus of this Finnish company."),
])
def test_a_workbook_is_refused_by_the_same_rules(app, tmp_path, sheet, change, problem):
    path = tmp_path / "registry.xlsx"
    write_template(path, attestation_type_codes())
    rows = {name: [dict(record) for record in records] for name, records in
            WORKBOOK_ROWS.items()}
    rows[sheet][0].update(change)
    fill_workbook(path, rows)

    report = import_source(load_source(path), today=TODAY)

    assert [str(error) for error in report.errors] == [problem]
    assert Controller.select().count() == 0
