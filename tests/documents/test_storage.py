"""Storing checked uploads once per hash, and serving them only as attachments."""

import io
from urllib.parse import quote

import pytest
from werkzeug.datastructures import FileStorage

from registry.documents import (
    RejectedUpload,
    download_response,
    sanitize_filename,
    store_upload,
)
from registry.models import Document, DocumentBlob
from tests.documents import pdfs


def upload(data, filename="certificate.pdf"):
    """Return a FileStorage as Flask hands it to a view."""
    return FileStorage(io.BytesIO(data), filename=filename, content_type="application/pdf")


def test_the_same_bytes_are_stored_once_with_a_document_per_upload(app):
    data = pdfs.valid_pdf(pages=2, marker="iso")
    first = store_upload(upload(data, "ISO 2026.pdf"), None)
    second = store_upload(upload(data, "copy.pdf"), None)
    assert DocumentBlob.select().count() == 1
    assert Document.select().count() == 2
    assert first.blob_id == second.blob_id
    assert bytes(first.blob.content) == data
    stored = Document.get_by_id(first.id)
    assert (stored.filename, stored.page_count, stored.size) == ("ISO 2026.pdf", 2, len(data))
    assert stored.media_type == "application/pdf"


@pytest.mark.parametrize("data", [pdfs.HTML, b"", pdfs.PDF_HEADER_AND_JUNK, pdfs.open_action()],
                         ids=["html", "empty", "junk", "open-action"])
def test_a_refused_upload_leaves_no_row_and_no_blob(app, data):
    with pytest.raises(RejectedUpload):
        store_upload(upload(data), None)
    assert Document.select().count() == 0
    assert DocumentBlob.select().count() == 0


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("ISO 27001 certificate.pdf", "ISO 27001 certificate.pdf"),
        ("C:\\Users\\me\\Desktop\\report.PDF", "report.pdf"),
        ("../../etc/passwd", "passwd.pdf"),
        ("evil\u202egpj.pdf", "evil gpj.pdf"),
        ("line\r\nbreak\x00.pdf", "line break.pdf"),
        ('a"b<c>.pdf', "a_b_c_.pdf"),
        ("....pdf", "document.pdf"),
        ("", "document.pdf"),
        ("SOC 2 raportti – 2026 ÄÖ.pdf", "SOC 2 raportti – 2026 ÄÖ.pdf"),
        ("x" * 300 + ".pdf", "x" * 116 + ".pdf"),
    ],
)
def test_display_names_are_sanitised_and_keep_the_pdf_suffix(given, shown):
    assert sanitize_filename(given) == shown


def test_download_is_an_attachment_with_a_safely_encoded_name(app):
    name = "SOC 2 – Ääkköset \"quoted\".pdf"
    document = store_upload(upload(pdfs.valid_pdf(), name), None)
    with app.test_request_context():
        response = download_response(document)
        response.direct_passthrough = False
        body = response.get_data()
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''" + quote(document.filename, safe="") in disposition
    assert "\n" not in disposition and "\u00c4" not in disposition
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response.headers["Cache-Control"]
    assert body == bytes(document.blob.content)
