"""A full disk during an upload answers 507 with a clear message and saves nothing."""

import errno
import io
import sqlite3

import peewee
import psycopg
import pytest
from flask import Request

from registry import documents
from registry.models import Attestation, Document, DocumentBlob
from tests.portal.test_upload import ISO, day, upload


def _sqlite_full():
    error = sqlite3.OperationalError("database or disk is full")
    error.sqlite_errorcode = 13
    return error


@pytest.mark.parametrize("original", [
    _sqlite_full(),
    psycopg.errors.DiskFull("could not extend file \"base/16384/2613\": No space left on device"),
], ids=["sqlite", "postgresql"])
def test_a_full_database_refuses_the_upload_whole(tenant_a, monkeypatch, original):
    client, _a, _b = tenant_a
    counts = (Attestation.select().count(), Document.select().count(),
              DocumentBlob.select().count())

    def full(*_args, **_kwargs):
        # Raised after the blob row was inserted in the same transaction, as the database would.
        raise peewee.OperationalError(original, *original.args)

    monkeypatch.setattr(documents.Document, "create", full)
    response = upload(client, "iso27001", {**ISO, "issued_on": -30, "valid_until": 1000})
    assert response.status_code == 507
    assert response.headers["Retry-After"]
    page = response.get_data(as_text=True)
    assert "the server&#39;s storage is full" in page or "the server's storage is full" in page
    assert "nothing was saved" in page
    assert (Attestation.select().count(), Document.select().count(),
            DocumentBlob.select().count()) == counts


class _FullTemporaryFile(io.BytesIO):
    def write(self, _data):
        raise OSError(errno.ENOSPC, "No space left on device")


def test_no_room_to_spool_the_upload_answers_507(tenant_a, monkeypatch):
    client, _a, _b = tenant_a
    documents_before = Document.select().count()
    monkeypatch.setattr(Request, "_get_file_stream",
                        lambda *_args, **_kwargs: _FullTemporaryFile())
    response = upload(client, "iso27001", {**ISO, "issued_on": -30, "valid_until": 1000})
    assert response.status_code == 507
    assert "nothing was saved" in response.get_data(as_text=True)
    assert Document.select().count() == documents_before


def test_other_operating_system_errors_stay_a_500(tenant_a, monkeypatch):
    client, _a, _b = tenant_a
    client.application.config["PROPAGATE_EXCEPTIONS"] = False

    def broken(*_args, **_kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(Request, "_get_file_stream", broken)
    response = upload(client, "iso27001", {**ISO, "issued_on": day(-30), "valid_until": 1000})
    assert response.status_code == 500
