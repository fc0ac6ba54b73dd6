"""Uploads are judged by their content: real, plain PDFs pass; everything else is refused."""

import io

import pytest
from werkzeug.datastructures import FileStorage

from registry import pdfcheck
from registry.documents import RejectedUpload, check_upload
from tests.documents import pdfs

REFUSED = [
    ("javascript in names tree", pdfs.javascript_in_names, "javascript"),
    ("javascript link action", pdfs.javascript_link_action, "javascript"),
    ("javascript written /J#53", pdfs.hex_escaped_javascript, "javascript"),
    ("javascript nested in direct objects", pdfs.nested_javascript, "javascript"),
    ("open action", pdfs.open_action, "open_action"),
    ("additional actions", pdfs.additional_actions, "additional_actions"),
    ("launch action", pdfs.launch_action, "launch"),
    ("embedded file", pdfs.embedded_file, "embedded_files"),
    ("file attachment annotation", pdfs.file_attachment_annotation, "embedded_files"),
    ("xfa form", pdfs.xfa_form, "xfa"),
    ("encrypted, no user password", pdfs.encrypted, "encrypted"),
    ("encrypted with user password", lambda: pdfs.encrypted("secret"), "encrypted"),
    ("zip renamed .pdf", pdfs.renamed_zip, "not_a_pdf"),
    ("executable renamed .pdf", pdfs.renamed_executable, "not_a_pdf"),
    ("html", lambda: pdfs.HTML, "not_a_pdf"),
    ("svg", lambda: pdfs.SVG, "not_a_pdf"),
    ("pdf header then junk", lambda: pdfs.PDF_HEADER_AND_JUNK, "damaged"),
    ("pdf header then html", lambda: pdfs.PDF_HEADER_THEN_HTML, "damaged"),
    ("decompression bomb", pdfs.decompression_bomb, "too_complex"),
]


def upload(data, filename="certificate.pdf"):
    """Return a FileStorage as Flask hands it to a view."""
    return FileStorage(io.BytesIO(data), filename=filename, content_type="application/pdf")


@pytest.mark.parametrize(("build", "code"), [case[1:] for case in REFUSED],
                         ids=[case[0] for case in REFUSED])
def test_hostile_or_fake_files_are_refused_with_the_reason(app, build, code):
    data = build()
    with pytest.raises(RejectedUpload) as refused:
        check_upload(upload(data))
    assert refused.value.reason == pdfcheck.REASONS[code]


def test_hex_escaped_key_really_hides_the_plain_name():
    data = pdfs.hex_escaped_javascript()
    assert b"/J#53" in data and b"/JS" not in data


def test_a_plain_pdf_passes_with_its_page_count_hash_and_clean_name(app):
    checked = check_upload(upload(pdfs.valid_pdf(pages=3), filename="../../ISO 27001.pdf"))
    assert checked.page_count == 3
    assert checked.filename == "ISO 27001.pdf"
    assert len(checked.sha256) == 64


def test_an_ordinary_web_link_is_allowed(app):
    assert check_upload(upload(pdfs.pdf_with_link())).page_count == 1


def test_an_empty_file_is_refused(app):
    with pytest.raises(RejectedUpload, match="empty"):
        check_upload(upload(b""))


def test_a_file_that_is_no_pdf_is_refused_in_words_that_fit_every_kind_of_document(app):
    # The same check guards signed DPAs, instructions and attestations.
    with pytest.raises(RejectedUpload) as refused:
        check_upload(upload(pdfs.HTML))
    assert str(refused.value) == (
        "This file is not a PDF. Please upload the document as a PDF file.")


def test_a_missing_file_is_refused(app):
    with pytest.raises(RejectedUpload, match="Choose a PDF"):
        check_upload(FileStorage(io.BytesIO(b""), filename=""))
    with pytest.raises(RejectedUpload, match="Choose a PDF"):
        check_upload(None)


def test_a_file_over_the_limit_is_refused_before_parsing(app):
    app.config["MAX_UPLOAD_MB"] = 1
    data = pdfs.valid_pdf() + b"%" + b"x" * (1024 * 1024)
    with pytest.raises(RejectedUpload, match="larger than 1 MB"):
        check_upload(upload(data))


def test_deep_nesting_neither_crashes_nor_hides_the_file():
    # qpdf stops at its nesting limit and drops the object; the page itself is still read.
    assert pdfcheck.check_pdf(pdfs.deeply_nested()) == 1


def test_a_bomb_is_stopped_by_the_memory_limit():
    with pytest.raises(pdfcheck.Refused) as refused:
        pdfcheck.check_pdf(pdfs.decompression_bomb(300), memory_bytes=128 * 1024 * 1024)
    assert refused.value.code == "too_complex"


def test_a_parse_that_runs_out_of_time_is_killed():
    # Unpacking 300 MB takes about half a second; with memory to spare, only the clock stops it.
    with pytest.raises(pdfcheck.Refused) as refused:
        pdfcheck.check_pdf(pdfs.decompression_bomb(300), seconds=0.2,
                           memory_bytes=2 * 1024 * 1024 * 1024)
    assert refused.value.code == "too_slow"


def test_a_garbled_child_answer_counts_as_refused():
    assert pdfcheck._read_verdict(b"") == {}
    assert pdfcheck._read_verdict(b'{"pages": "1; drop"}') == {}
    assert pdfcheck._read_verdict(b'{"refused": "<script>"}') == {}
    assert pdfcheck._read_verdict(b'{"pages": 2}\n') == {"pages": 2}
