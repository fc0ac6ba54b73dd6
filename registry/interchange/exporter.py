"""Exporting the whole registry as one `dpa-registry/1` document, in a deterministic order.

Rows are read through the same record kinds the importer uses, so every field an import writes
is a field an export reads back: export, import into an empty registry and export again gives
the identical document. Records are sorted by their natural keys, never by database ids.
"""

from collections import defaultdict
from datetime import date

from registry.interchange import attachments
from registry.interchange.incidents import INCIDENT_KINDS, incident_records
from registry.interchange.kinds import CLAUSE_COLUMNS, KINDS
from registry.interchange.requests import REQUEST_KINDS, request_records
from registry.interchange.return_or_deletion import RETURN_OR_DELETION_KINDS
from registry.interchange.schema import (
    ASSISTANCE_REQUEST_FIELDS,
    DESCRIPTION_KEYS,
    FLOW_DOWN_FIELDS,
    FORMAT,
    RECORD_FIELDS,
    SUBJECT_REQUEST_FIELDS,
)
from registry.interchange.writer import flow_down_order
from registry.models import CLAUSE_KEYS, Document


def export_document(documents_dir=None):
    """Return the whole registry as a document; with `documents_dir`, also write its files.

    Document references are only included when `documents_dir` is given: each referenced
    document is written there as a file named by its SHA-256.
    """
    loaded = {kind.label: kind.load() for kind in (*KINDS, *INCIDENT_KINDS, *REQUEST_KINDS,
                                                   *RETURN_OR_DELETION_KINDS)}
    references = _references(loaded) if documents_dir else None
    document = {
        "format": FORMAT,
        "controllers": [_record("controllers", row, references)
                        for _, row in _sorted(loaded["controllers"])],
        "dpas": [_record("dpas", row, references, controller=key[0], version=key[1])
                 for key, row in _sorted(loaded["dpas"])],
        "instructions": [
            _record("instructions", row, references, controller=key[0], title=key[1],
                    version=key[2])
            for key, row in _sorted(loaded["instructions"])
        ],
        "subcontractors": _subcontractors(loaded, references),
        "engagements": [
            _record("engagements", row, references, subcontractor=key[0], controller=key[1])
            for key, row in _sorted(loaded["engagements"])
        ],
        "attestations": [
            _record("attestations", row, references, subcontractor=key[0], type=key[1],
                    reference=key[2], issued_on=key[3], period_end=key[4])
            for key, row in _sorted(loaded["attestations"])
        ],
        "incidents": incident_records(loaded),
        "subject_requests": request_records(loaded, "subject_requests", SUBJECT_REQUEST_FIELDS),
        "assistance_requests": request_records(loaded, "assistance_requests",
                                               ASSISTANCE_REQUEST_FIELDS),
        "return_or_deletion": [
            _assemble([field.name for field in RECORD_FIELDS["return_or_deletion"]],
                      {"end": key[0], "controller": key[1], "subcontractor": key[2]}, row,
                      references)
            for key, row in _sorted(loaded["return_or_deletion"])
        ],
    }
    if documents_dir:
        attachments.write_files(documents_dir, references.values())
    return document


def _sort_part(value):
    # None sorts first, and values of different types never meet in a comparison.
    return (value is not None, value if value is not None else "")


def _sort_key(key):
    parts = key if isinstance(key, tuple) else (key,)
    return tuple(_sort_part(part) for part in parts)


def _sorted(rows):
    return sorted(rows.items(), key=lambda item: (_sort_key(item[0]), item[1]["id"]))


def _subcontractors(loaded, references):
    agreements = defaultdict(list)
    for (subcontractor_key, signed_on), row in loaded["flow_down_agreements"].items():
        agreements[subcontractor_key].append(
            (flow_down_order(signed_on), row["id"], _flow_down(row, references))
        )
    records = []
    for key, row in _sorted(loaded["subcontractors"]):
        chain = [agreement for *_, agreement in sorted(agreements[key])]
        records.append(_record(
            "subcontractors", row, references, key=key, tier=row["risk_tier"],
            flow_down=chain[-1] if chain else None, earlier_flow_downs=chain[:-1],
        ))
    return records


def _flow_down(row, references):
    values = {"signed_on": row["signed_on"], "terminated_on": row["terminated_on"],
              "clauses": _clauses(row)}
    names = [field.name for field in FLOW_DOWN_FIELDS]
    return _assemble(names, values, row, references)


def _clauses(row):
    return {key: bool(row[column]) for key, column in zip(CLAUSE_KEYS, CLAUSE_COLUMNS,
                                                          strict=True)}


def _record(collection, row, references, **values):
    values.setdefault("clauses", _clauses(row) if "clause_documented_instructions" in row
                      else None)
    values["description"] = {key: row.get(key, "") for key in DESCRIPTION_KEYS}
    names = [field.name for field in RECORD_FIELDS[collection]]
    return _assemble(names, values, row, references)


def _assemble(names, values, row, references):
    record = {}
    for name in names:
        if name in attachments.DOCUMENT_FIELDS:
            if references is not None:
                record[name] = _reference(references, row.get(f"{name}_id"))
            continue
        value = values[name] if name in values else row.get(name)
        record[name] = _jsonable(value)
    return record


def _jsonable(value):
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_jsonable(item) for item in value]
    return value


def _references(loaded):
    ids = {
        row[f"{name}_id"]
        for rows in loaded.values()
        for row in rows.values()
        for name in attachments.DOCUMENT_FIELDS
        if row.get(f"{name}_id")
    }
    if not ids:
        return {}
    return {document.id: document for document in Document.select().where(Document.id.in_(ids))}


def _reference(references, document_id):
    document = references.get(document_id) if document_id else None
    if document is None:
        return None
    return {"sha256": document.sha256, "filename": document.filename,
            "media_type": document.media_type}
