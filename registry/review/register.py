"""The evidence register: every attestation with its review, i.e. who accepted each document.

Read-only, as CSV or JSON, for auditors and legal staff. Acceptances later revoked are in the
audit trail (the attestation itself is pending again and shows no reviewer).
"""

import io
import json

from peewee import JOIN

from registry.attestations.validity import row_counts_until
from registry.csv_export import safe_cell, sha256_cell, writer
from registry.models import Attestation, AttestationType, Document, Subcontractor, User

FORMAT = "dpa-registry-evidence/1"
COLUMNS = (
    ("attestation_id", "Attestation"), ("subcontractor", "Subcontractor"),
    ("business_id", "Business ID"), ("type", "Type"), ("type_code", "Type code"),
    ("issuer", "Issuer"), ("reference", "Reference"), ("issued_on", "Issued on"),
    ("period_start", "Period start"), ("period_end", "Period end"),
    ("valid_until", "Valid until (stated)"), ("counts_until", "Counts until"),
    ("review", "Review"), ("reviewed_by", "Reviewed by"), ("reviewed_at", "Reviewed at (UTC)"),
    ("rejection_reason", "Rejection reason"), ("uploaded_by", "Uploaded by"),
    ("uploaded_at", "Uploaded at (UTC)"), ("document", "Document"), ("sha256", "SHA-256"),
)


def _day(value):
    return value.isoformat() if value else None


def _moment(value):
    return value.isoformat(timespec="seconds") + "Z" if value else None


def _rows():
    uploader, reviewer = User.alias(), User.alias()
    return (Attestation
            .select(Attestation, AttestationType, Subcontractor, Document, uploader, reviewer)
            .join(AttestationType)
            .switch(Attestation).join(Subcontractor)
            .switch(Attestation).join(Document, JOIN.LEFT_OUTER)
            .switch(Attestation).join(uploader, JOIN.LEFT_OUTER,
                                      on=(Attestation.uploaded_by == uploader.id),
                                      attr="uploader")
            .switch(Attestation).join(reviewer, JOIN.LEFT_OUTER,
                                      on=(Attestation.reviewed_by == reviewer.id),
                                      attr="reviewer")
            .order_by(Subcontractor.name, AttestationType.name, Attestation.created_at,
                      Attestation.id))


def _record(attestation):
    document, uploader, reviewer = (attestation.document, getattr(attestation, "uploader", None),
                                    getattr(attestation, "reviewer", None))
    return {
        "attestation_id": attestation.id, "subcontractor": attestation.subcontractor.name,
        "business_id": attestation.subcontractor.business_id,
        "type": attestation.attestation_type.name,
        "type_code": attestation.attestation_type.code, "issuer": attestation.issuer,
        "reference": attestation.reference, "issued_on": _day(attestation.issued_on),
        "period_start": _day(attestation.period_start),
        "period_end": _day(attestation.period_end),
        "valid_until": _day(attestation.valid_until),
        "counts_until": _day(row_counts_until(attestation)), "review": attestation.review,
        "reviewed_by": reviewer.email if reviewer else None,
        "reviewed_at": _moment(attestation.reviewed_at),
        "rejection_reason": attestation.rejection_reason or None,
        "uploaded_by": uploader.email if uploader else None,
        "uploaded_at": _moment(attestation.created_at),
        "document": document.filename if document else None,
        "sha256": document.sha256 if document else None,
    }


def register_records():
    """Return every attestation as a plain record, by subcontractor and type."""
    return [_record(attestation) for attestation in _rows()]


def register_csv(records):
    """Return CSV bytes (UTF-8 with BOM, every field quoted, formula-safe) of `records`.

    The document's digest reads `sha256:<hex>` (see `sha256_cell`), as in the audit export.
    """
    buffer = io.StringIO()
    lines = writer(buffer)
    lines.writerow([title for _key, title in COLUMNS])
    for record in records:
        record = dict(record, sha256=sha256_cell(record["sha256"]))
        lines.writerow([safe_cell(record[key]) for key, _title in COLUMNS])
    return buffer.getvalue().encode("utf-8-sig")


def register_json(records, exported_at):
    """Return the JSON text of `records`."""
    document = {"format": FORMAT, "exported_at": _moment(exported_at), "attestations": records}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
