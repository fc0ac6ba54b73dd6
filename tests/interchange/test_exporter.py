"""Exporting: the whole registry in the format, deterministic, and round-tripping exactly."""

import hashlib
import json

from registry.documents import CheckedUpload, save_upload
from registry.extensions import database
from registry.interchange.exporter import export_document
from registry.interchange.importer import import_document
from registry.migrate import HISTORY_TABLE
from registry.models import Attestation, Dpa, FlowDownAgreement
from registry.revision import REVISION_TABLE
from tests.audit_helpers import append_only_guard_lifted
from tests.documents.pdfs import valid_pdf
from tests.interchange.samples import sample_document


def empty_registry():
    """Remove every registry row (the round trip needs an empty database inside the same test);
    the migration history and the registry revision stay."""
    tables = [table for table in database.get_tables()
              if table not in (HISTORY_TABLE, REVISION_TABLE)]
    if database.obj.__class__.__name__.startswith("Postgres"):
        quoted = ", ".join(f'"{table}"' for table in tables)
        database.execute_sql(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE")
        return
    database.execute_sql("PRAGMA foreign_keys = OFF")
    with append_only_guard_lifted():  # the audit log refuses DELETE, as it should
        for table in tables:
            database.execute_sql(f'DELETE FROM "{table}"')
    database.execute_sql("PRAGMA foreign_keys = ON")


def stored_pdf(marker):
    """Store a real PDF as a Document and return it."""
    content = valid_pdf(marker=marker)
    checked = CheckedUpload(content=content, filename=f"{marker}.pdf", page_count=1,
                            sha256=hashlib.sha256(content).hexdigest())
    return save_upload(checked, None)


def test_export_writes_every_field_in_the_format(app):
    import_document(sample_document())

    document = export_document()

    assert document["format"] == "dpa-registry/1"
    first_dpa = document["dpas"][0]
    assert first_dpa["controller"] == "c-aurora" and first_dpa["version"] == 1
    assert first_dpa["clauses"]["audits_and_information"] is False
    assert first_dpa["description"]["subject_matter"] == "Web shop"
    assert "document" not in first_dpa
    hosting = document["subcontractors"][0]
    assert hosting["tier"] == "high"
    assert hosting["flow_down"]["signed_on"] == "2024-05-01"
    assert [agreement["signed_on"] for agreement in hosting["earlier_flow_downs"]] == [
        "2021-05-01"
    ]
    assert document["engagements"][0]["controller"] == "*"
    assert document["subcontractors"][1]["processing_countries"] == ["US", "IE"]
    json.dumps(document)  # plain JSON values only


def test_export_import_export_is_identical(app):
    import_document(sample_document())
    first = export_document()
    empty_registry()

    report = import_document(first)
    second = export_document()

    assert report.ok, report.errors
    assert json.dumps(second, sort_keys=True) == json.dumps(first, sort_keys=True)
    assert second == first


def test_the_order_does_not_depend_on_the_order_of_import(app):
    document = sample_document()
    for section in ("controllers", "dpas", "instructions", "subcontractors", "engagements",
                    "attestations"):
        document[section].reverse()
    import_document(document)

    exported = export_document()

    assert [row["key"] for row in exported["controllers"]] == ["c-aurora", "c-gutschein"]
    assert [(row["controller"], row["version"]) for row in exported["dpas"]] == [
        ("c-aurora", 1), ("c-aurora", 2), ("c-gutschein", 1)]
    assert [row["version"] for row in exported["instructions"]] == [1, 2]


def test_attestations_sharing_a_key_survive_the_round_trip(app):
    document = sample_document()
    resent = dict(document["attestations"][0], review="rejected", rejection_reason="Expired")
    document["attestations"].insert(0, resent)
    import_document(document)
    first = export_document()
    assert Attestation.select().count() == 3

    report = import_document(first)
    empty_registry()
    import_document(first)

    assert not report.changed
    assert export_document() == first


def test_documents_are_written_by_hash_and_imported_back(app, tmp_path):
    import_document(sample_document())
    signed = stored_pdf("dpa-aurora-v2")
    flow_down = stored_pdf("flow-down-hosting")
    Dpa.update(document=signed).where(Dpa.version == 2).execute()
    FlowDownAgreement.update(document=flow_down).where(
        FlowDownAgreement.terminated_on.is_null()).execute()
    folder = tmp_path / "documents"

    first = export_document(documents_dir=folder)

    reference = first["dpas"][1]["document"]
    assert reference == {"sha256": signed.sha256, "filename": "dpa-aurora-v2.pdf",
                         "media_type": "application/pdf"}
    assert (folder / signed.sha256).read_bytes() == signed.blob.content
    assert first["subcontractors"][0]["flow_down"]["document"]["sha256"] == flow_down.sha256
    empty_registry()

    without_files = import_document(first)
    report = import_document(first, documents=folder)

    assert [problem.location for problem in without_files.errors] == [
        "dpas[1].document", "subcontractors[0].flow_down.document"]
    assert report.ok, report.errors
    assert export_document(documents_dir=tmp_path / "again") == first
    assert Dpa.get(version=2, title="DPA").document.blob.content == signed.blob.content


def test_a_document_file_that_does_not_match_its_hash_is_refused(app, tmp_path):
    document = sample_document()
    content = valid_pdf(marker="genuine")
    sha = hashlib.sha256(content).hexdigest()
    (tmp_path / sha).write_bytes(valid_pdf(marker="forged"))
    document["dpas"][0]["document"] = {"sha256": sha, "filename": "dpa.pdf"}

    report = import_document(document, documents=tmp_path)

    assert [str(problem) for problem in report.errors] == [
        f"dpas[0].document: document file {sha}: its content does not match its SHA-256 name"
    ]
    assert Dpa.select().count() == 0
