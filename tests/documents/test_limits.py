"""Request bodies over MAX_UPLOAD_MB get the friendly 413 page, with or without Content-Length."""

import io

import pytest
from flask import request

from registry.auth.access import public
from registry.documents import RejectedUpload, store_upload
from registry.models import Document
from tests.documents import pdfs

BOUNDARY = "registry-test-boundary"


def multipart(data, filename="certificate.pdf"):
    """Return a multipart/form-data body with one file field named `file`."""
    head = (
        f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; "
        f"filename=\"{filename}\"\r\nContent-Type: application/pdf\r\n\r\n"
    ).encode()
    return head + data + f"\r\n--{BOUNDARY}--\r\n".encode()


@pytest.fixture
def upload_client(app):
    """A client for an app with a bare, public upload route that stores the posted file."""
    app.config["WTF_CSRF_ENABLED"] = False

    def receive():
        try:
            document = store_upload(request.files.get("file"), None)
        except RejectedUpload as refused:
            return refused.reason, 422
        return str(document.id), 201

    app.add_url_rule("/test-upload", "test_upload", public(receive), methods=["POST"])
    return app.test_client()


def post(client, body, chunked=False):
    """Post `body` with Content-Length, or as a chunked stream that has none."""
    options = {"content_type": f"multipart/form-data; boundary={BOUNDARY}"}
    if chunked:
        options.update(input_stream=io.BytesIO(body), headers={"Transfer-Encoding": "chunked"},
                       environ_overrides={"wsgi.input_terminated": True})
    else:
        options["data"] = body
    return client.post("/test-upload", **options)


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_a_50_mb_body_gets_the_friendly_413_page_and_stores_nothing(upload_client, chunked):
    body = multipart(pdfs.valid_pdf() + b"%" + b"x" * (50 * 1024 * 1024))
    response = post(upload_client, body, chunked=chunked)
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "too large" in page and "20 MB" in page
    assert Document.select().count() == 0


def test_a_chunked_body_under_the_limit_is_read_and_stored(upload_client):
    response = post(upload_client, multipart(pdfs.valid_pdf()), chunked=True)
    assert response.status_code == 201
    assert Document.get_by_id(int(response.get_data(as_text=True))).page_count == 1


def test_a_fake_pdf_in_a_chunked_body_is_refused(upload_client):
    response = post(upload_client, multipart(pdfs.HTML), chunked=True)
    assert response.status_code == 422
    assert "not a PDF" in response.get_data(as_text=True)
    assert Document.select().count() == 0
