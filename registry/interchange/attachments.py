"""Document files that travel with an interchange document, each named by its SHA-256.

An export made with --with-documents writes every referenced document's bytes to a folder as a
file named by its SHA-256, and refers to it as {"sha256", "filename", "media_type"}. An import
links a reference to the registry's Document of the same SHA-256 or, when there is none, reads
the file from the folder, checks it like any upload (a real, safe PDF) and stores it.
"""

import hashlib
from dataclasses import dataclass
from pathlib import Path

from peewee import fn

from registry import pdfcheck
from registry.documents import sanitize_filename
from registry.files import write_atomically
from registry.interchange.schema import COLLECTIONS
from registry.interchange.validate import Problem
from registry.models import Document, DocumentBlob

DOCUMENT_FIELDS = ("document", "approval_document", "certificate")


@dataclass(frozen=True)
class CheckedFile:
    """A document file read from the folder and found to be a safe PDF."""

    content: bytes
    filename: str
    page_count: int


def references(records, locate):
    """Return {sha256: (reference, location of its first use)} over every validated record."""
    found = {}
    for collection, items in records.items():
        for record in items:
            for path, reference in _record_references(record):
                location = locate(collection, record["_index"], path)
                position = (COLLECTIONS.index(collection), record["_index"])
                found.setdefault(reference["sha256"], (reference, Problem(location, "", position)))
    return found


def _record_references(record):
    for name in DOCUMENT_FIELDS:
        if record.get(name):
            yield name, record[name]
    agreements = [("flow_down", record.get("flow_down"))] + [
        (f"earlier_flow_downs[{index}]", agreement)
        for index, agreement in enumerate(record.get("earlier_flow_downs") or [])
    ]
    for path, agreement in agreements:
        if agreement and agreement.get("document"):
            yield f"{path}.document", agreement["document"]


def stored_document_ids(shas):
    """Return {sha256: id of the first Document with it} for the given SHA-256 values."""
    if not shas:
        return {}
    query = (
        Document.select(Document.sha256, fn.MIN(Document.id))
        .where(Document.sha256.in_(list(shas)))
        .group_by(Document.sha256)
        .tuples()
    )
    return dict(query)


def check_files(found, folder, errors):
    """Read and check the files of references the registry lacks; append a Problem for each bad one.

    Run this outside the write transaction: each PDF is parsed in a child process.
    """
    missing = set(found) - set(stored_document_ids(set(found)))
    checked = {}
    for sha in sorted(missing):
        reference, place = found[sha]
        reason, file = _check_file(sha, reference, folder)
        if reason:
            errors.append(Problem(place.location, reason, place.position))
        else:
            checked[sha] = file
    return checked


def _check_file(sha, reference, folder):
    if folder is None:
        return (f"document {sha} is not in the registry; import with the folder of document "
                "files the export wrote (--documents)"), None
    path = Path(folder) / sha
    if not path.is_file():
        return f"document file {sha} is not in {folder}", None
    content = path.read_bytes()
    if hashlib.sha256(content).hexdigest() != sha:
        return f"document file {sha}: its content does not match its SHA-256 name", None
    try:
        page_count = pdfcheck.check_pdf(content)
    except pdfcheck.Refused as refusal:
        return f"document file {sha}: {refusal.reason}", None
    filename = sanitize_filename(reference["filename"])
    return None, CheckedFile(content=content, filename=filename, page_count=page_count)


def store_files(found, checked):
    """Store the checked files and return {sha256: Document id} for every reference."""
    ids = stored_document_ids(set(found))
    for sha, file in checked.items():
        if sha in ids:
            continue
        DocumentBlob.insert(
            sha256=sha, content=file.content, size=len(file.content)
        ).on_conflict_ignore().execute()
        blob_id = DocumentBlob.get(DocumentBlob.sha256 == sha).id
        document = Document.create(
            blob=blob_id, filename=file.filename, media_type="application/pdf",
            size=len(file.content), sha256=sha, page_count=file.page_count,
        )
        ids[sha] = document.id
    return ids


def write_files(folder, documents):
    """Write each Document's bytes into `folder` as a file named by its SHA-256."""
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    for document in documents:
        path = target / document.sha256
        if not path.exists():
            write_atomically(path, document.blob.content, mode=0o666)
