"""Small `dpa-registry/1` documents and workbooks for the interchange tests."""

import copy
import io

from openpyxl import load_workbook

from registry.interchange.cli import attestation_type_codes
from registry.interchange.spreadsheet import write_template
from registry.models import CLAUSE_KEYS

ALL_CLAUSES = dict.fromkeys(CLAUSE_KEYS, True)  # copied per use: deepcopy keeps sharing


def sample_document():
    """Return a valid document with every record type and every kind of field filled in."""
    return copy.deepcopy({
        "format": "dpa-registry/1",
        "controllers": [
            {"key": "c-aurora", "name": "Aurora Kauppa Oy", "business_id": "1572860-0",
             "country": "FI", "privacy_contacts": ["privacy@aurora.example"],
             "services": ["online store", "reward shop"], "ordered_via": None,
             "status": "active"},
            {"key": "c-gutschein", "name": "Grüne Gutscheine GmbH", "business_id": "HRB 123456",
             "country": "DE", "privacy_contacts": [], "services": ["gift-voucher redemption"],
             "ordered_via": "Gutschein Vertrieb GmbH", "status": "active"},
        ],
        "dpas": [
            {"controller": "c-aurora", "version": 1, "title": "DPA", "status": "superseded",
             "signed_on": "2023-01-10", "effective_from": "2023-02-01", "expires_on": None,
             "review_due_on": None, "subprocessor_authorisation": "general",
             "objection_period_days": 30, "breach_notice_hours": 48,
             "clauses": {**ALL_CLAUSES, "audits_and_information": False},
             "description": {"subject_matter": "Web shop", "duration": "Service term",
                             "nature_and_purpose": "Hosting", "personal_data_types": "Names",
                             "data_subject_categories": "Customers"}},
            {"controller": "c-aurora", "version": 2, "title": "DPA", "status": "signed",
             "signed_on": "2025-03-01", "effective_from": "2025-03-01",
             "expires_on": "2027-12-31", "review_due_on": "2026-06-30",
             "subprocessor_authorisation": "specific", "objection_period_days": 14,
             "breach_notice_hours": 24, "clauses": dict(ALL_CLAUSES)},
            {"controller": "c-gutschein", "version": 1, "title": "AV-Vertrag", "status": "draft",
             "subprocessor_authorisation": "general"},
        ],
        "instructions": [
            {"controller": "c-aurora", "version": 1, "title": "Retention",
             "text": "Delete orders after 24 months.", "source": "e-mail 2024-01-05",
             "received_on": "2024-01-05", "effective_from": "2024-02-01",
             "acknowledged_on": "2024-01-08", "dpa_version": 1},
            {"controller": "c-aurora", "version": 2, "title": "Retention",
             "text": "Delete orders after 36 months.", "received_on": "2025-04-01"},
        ],
        "subcontractors": [
            {"key": "s-hosting", "name": "Pilvi Hosting Oy", "business_id": "0112038-9",
             "country": "FI", "tier": "high", "status": "active", "purpose": "Hosting",
             "data_categories": ["contact data", "order data"], "processing_countries": ["FI"],
             "transfer_mechanism": None, "contacts": ["security@pilvi.example"],
             "handles_card_data": True, "breach_notice_hours": 24,
             "flow_down": {"signed_on": "2024-05-01", "clauses": dict(ALL_CLAUSES)},
             "earlier_flow_downs": [{"signed_on": "2021-05-01", "terminated_on": "2024-05-01",
                                     "clauses": {"confidentiality": True}}]},
            {"key": "s-mailer", "name": "Mailer Inc", "country": "US", "tier": "medium",
             "status": "proposed", "processing_countries": ["US", "ie"],
             "transfer_mechanism": "dpf", "contacts": []},
        ],
        "engagements": [
            {"subcontractor": "s-hosting", "controller": "*", "on_list_at_signing": True,
             "proposed_on": "2023-01-01"},
            {"subcontractor": "s-mailer", "controller": "c-aurora", "proposed_on": "2026-10-01",
             "notified_on": "2026-10-02", "objection_deadline": "2026-11-01",
             "notice_recipients": ["privacy@aurora.example"]},
        ],
        "attestations": [
            {"subcontractor": "s-hosting", "type": "iso27001", "issuer": "Kiwa",
             "reference": "ISMS-001", "scope": "Hosting", "standard_version": "2022",
             "issued_on": "2024-03-01", "valid_until": "2027-02-28", "review": "accepted"},
            {"subcontractor": "s-hosting", "type": "soc2_type2", "issuer": "KPMG",
             "period_start": "2025-01-01", "period_end": "2025-12-31",
             "bridge_letter_until": "2026-06-30", "review": "pending"},
        ],
    })


GOOD_ROWS = {
    "controllers": [["c-aurora", "Aurora Kauppa Oy", "1572860-0", "FI",
                     "privacy@aurora.example"]],
    "dpas": [["c-aurora", 1, "Data processing agreement", "signed", "2025-03-01", None, None,
              None, None, None, "general"]],
}


def workbook_bytes(rows):
    """Return the template filled with `rows` ({sheet: [cells from column A]}) as bytes."""
    buffer = io.BytesIO()
    write_template(buffer, attestation_type_codes())
    buffer.seek(0)
    workbook = load_workbook(buffer)
    for sheet, records in rows.items():
        for record in records:
            workbook[sheet].append(record)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def fill_workbook(path, rows):
    """Fill the template at `path` the way a person would: one row per record, by header."""
    workbook = load_workbook(path)
    for collection, records in rows.items():
        sheet = workbook[collection]
        header = [cell.value for cell in sheet[1]]
        for record in records:
            sheet.append([record.get(name) for name in header])
    workbook.save(path)
