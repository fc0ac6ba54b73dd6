"""Uploaded documents: checked by content, stored once per SHA-256, served only as attachments.

Every area that accepts or serves a file uses these functions, never its own. Permission checks
are the caller's: look the Document up through the area's authorising helper first
(`get_attestation_or_404` and the like), then call `download_response`.
"""

import hashlib
import io
import re
import unicodedata
from dataclasses import dataclass

from flask import current_app, render_template, send_file

from registry import pdfcheck
from registry.concurrency import PDF_CHECK, bounded
from registry.db import write_transaction
from registry.models import Document, DocumentBlob
from registry.security import DOWNLOAD_POLICY

MEDIA_TYPE = "application/pdf"
MAX_FILENAME_LENGTH = 120
FALLBACK_STEM = "document"


class RejectedUpload(Exception):
    """An upload that is refused; `reason` tells the person who sent it why, in plain words."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class CheckedUpload:
    """An upload that passed every check and is ready to be saved."""

    content: bytes
    filename: str
    page_count: int
    sha256: str


def max_upload_bytes():
    """Return the largest accepted file, from MAX_UPLOAD_MB."""
    return current_app.config["MAX_UPLOAD_MB"] * 1024 * 1024


def check_upload(file_storage):
    """Read and check an uploaded file (a real, safe PDF); raise RejectedUpload if it is not.

    Call this before opening a write transaction: the parse takes a child process and may take
    seconds, which must not hold the database's write lock.
    """
    if file_storage is None or not (file_storage.filename or "").strip():
        raise RejectedUpload("Choose a PDF file to upload.")
    limit = max_upload_bytes()
    content = file_storage.stream.read(limit + 1)
    if not content:
        raise RejectedUpload("The file is empty.")
    if len(content) > limit:
        raise RejectedUpload(f"The file is larger than {current_app.config['MAX_UPLOAD_MB']} MB.")
    try:
        with bounded(PDF_CHECK):
            page_count = pdfcheck.check_pdf(content)
    except pdfcheck.Refused as refusal:
        raise RejectedUpload(refusal.reason) from None
    return CheckedUpload(
        content=content,
        filename=sanitize_filename(file_storage.filename),
        page_count=page_count,
        sha256=hashlib.sha256(content).hexdigest(),
    )


def save_upload(checked, uploaded_by):
    """Store a checked upload: its bytes once per SHA-256 and a new Document row, and return it.

    The caller records the audit event for what the document is attached to, in the same
    transaction.
    """
    with write_transaction():
        DocumentBlob.insert(
            sha256=checked.sha256, content=checked.content, size=len(checked.content)
        ).on_conflict_ignore().execute()
        blob = DocumentBlob.get(DocumentBlob.sha256 == checked.sha256)
        return Document.create(
            blob=blob,
            filename=checked.filename,
            media_type=MEDIA_TYPE,
            size=len(checked.content),
            sha256=checked.sha256,
            page_count=checked.page_count,
            uploaded_by=uploaded_by,
        )


def store_upload(file_storage, uploaded_by):
    """Check an uploaded file and store it; return the Document or raise RejectedUpload."""
    return save_upload(check_upload(file_storage), uploaded_by)


_UNSAFE_CHARACTERS = re.compile(r'[<>:"/\\|?*]')


def sanitize_filename(name):
    """Return a display name for an uploaded file: no folders, no control characters, short.

    The name always ends in `.pdf`, since only PDFs are stored. It is shown and offered on
    download, never used as a path (the bytes are stored by their hash).
    """
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[/\\]", name)[-1]
    name = "".join(" " if unicodedata.category(char).startswith("C") else char for char in name)
    name = _UNSAFE_CHARACTERS.sub("_", name)
    name = " ".join(name.split())
    stem = name[:-4] if name.lower().endswith(".pdf") else name
    stem = stem.strip(" .")[: MAX_FILENAME_LENGTH - 4].rstrip(" .") or FALLBACK_STEM
    return f"{stem}.pdf"


def download_response(document):
    """Return a response that downloads `document` as an attachment the browser will not sniff.

    The download is audited (who, from where, when), like every read of a stored file.
    """
    from registry.audit_trail import security_log

    security_log.record_download(document)
    response = send_file(
        io.BytesIO(document.blob.content),
        mimetype=document.media_type or MEDIA_TYPE,
        as_attachment=True,
        download_name=document.filename,
        etag=document.sha256,
        conditional=True,
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Security-Policy"] = DOWNLOAD_POLICY
    return response


def request_too_large(_error):
    """Answer a request body over MAX_CONTENT_LENGTH with a friendly page (HTTP 413)."""
    return (
        render_template(
            "errors/413.html", max_upload_mb=current_app.config["MAX_UPLOAD_MB"]
        ),
        413,
    )
