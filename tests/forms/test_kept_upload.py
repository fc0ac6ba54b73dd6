"""A form that fails on a field keeps its valid PDF for the next try, for its user only."""

import io
import re
from datetime import timedelta

from playhouse.schema_diff import diff_models

from registry.extensions import database
from registry.models import Attestation, Dpa, FlowDownAgreement
from registry.pending_uploads.models import PendingUpload
from tests.auth_helpers import csrf_token, login
from tests.documents import pdfs
from tests.portal.test_upload import day, iso
from tests.registry_factories import make_dpa, make_requirement, make_subcontractor
from tests.subcontractors.helpers import signed_in

UPLOAD_URL = "/portal/attestations/new?type=iso27001"
MULTIPART = {"content_type": "multipart/form-data"}


def _post(client, url, fields, file=None, file_field="file"):
    page = client.get(url)
    assert page.status_code == 200
    data = {name: day(value) if isinstance(value, int) else value
            for name, value in fields.items()}
    data["csrf_token"] = csrf_token(page.get_data(as_text=True))
    if file is not None:
        data[file_field] = file
    return client.post(url, data=data, **MULTIPART)


def _pdf(name="certificate.pdf", marker="kept"):
    return (io.BytesIO(pdfs.valid_pdf(marker=marker)), name)


def _pending_token(page):
    match = re.search(r'name="pending_upload" value="([^"]+)"', page)
    assert match, "the page does not keep the file"
    return match.group(1)


def test_the_migrated_table_equals_the_model(app):
    assert not diff_models(database.obj, [PendingUpload])


def test_a_field_error_keeps_the_pdf_and_the_retry_needs_no_file(tenant_a):
    client, first, _second = tenant_a
    before = Attestation.select().count()

    failed = _post(client, UPLOAD_URL, dict(iso(), issuer=""), _pdf("ISO cert.pdf"))

    assert failed.status_code == 422
    page = failed.get_data(as_text=True)
    assert "Enter who issued it" in page
    assert "Your file ISO cert.pdf is kept; you don't need to choose it again." in page
    token = _pending_token(page)
    kept = PendingUpload.get()
    assert (kept.token, kept.owner_id, kept.filename) == (token, first.user.id, "ISO cert.pdf")

    retried = _post(client, UPLOAD_URL, dict(iso(), pending_upload=token))

    assert retried.status_code == 302, retried.get_data(as_text=True)
    attestation = Attestation.select().order_by(Attestation.id.desc()).get()
    assert Attestation.select().count() == before + 1
    assert attestation.document.filename == "ISO cert.pdf"
    assert bytes(attestation.document.blob.content) == bytes(kept.content)
    assert PendingUpload.select().count() == 0


def test_a_second_field_error_reuses_the_same_pending_id(tenant_a):
    client, _first, _second = tenant_a
    token = _pending_token(_post(client, UPLOAD_URL, dict(iso(), issuer=""), _pdf())
                           .get_data(as_text=True))

    again = _post(client, UPLOAD_URL, dict(iso(issued_on=5), pending_upload=token))

    assert again.status_code == 422
    assert _pending_token(again.get_data(as_text=True)) == token
    assert PendingUpload.select().count() == 1


def test_another_user_cannot_use_the_pending_id(tenant_a, make_client):
    client, _first, second = tenant_a
    token = _pending_token(_post(client, UPLOAD_URL, dict(iso(), issuer=""), _pdf())
                           .get_data(as_text=True))
    before = Attestation.select().count()
    other = login(make_client(), second.user)

    response = _post(other, UPLOAD_URL, dict(iso(), pending_upload=token))

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Choose the PDF file to upload." in page
    assert token not in page and "is kept" not in page
    assert Attestation.select().count() == before
    assert PendingUpload.select().count() == 1


def test_a_new_file_replaces_the_kept_one(tenant_a):
    client, _first, _second = tenant_a
    token = _pending_token(_post(client, UPLOAD_URL, dict(iso(), issuer=""), _pdf("old.pdf"))
                           .get_data(as_text=True))

    response = _post(client, UPLOAD_URL, dict(iso(), pending_upload=token),
                     _pdf("new.pdf", marker="new"))

    assert response.status_code == 302
    assert Attestation.select().order_by(Attestation.id.desc()).get().document.filename == "new.pdf"
    assert PendingUpload.select().count() == 0


def test_fields_and_pdf_are_both_reported_and_a_refused_file_is_not_kept(tenant_a):
    client, _first, _second = tenant_a

    response = _post(client, UPLOAD_URL, dict(iso(), issuer=""),
                     (io.BytesIO(b"not a pdf at all"), "notes.pdf"))

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Enter who issued it" in page and 'id="file-error"' in page
    assert PendingUpload.select().count() == 0 and "pending_upload" not in page


def test_a_kept_file_expires_after_a_day_and_is_purged(tenant_a, clock, runner):
    client, _first, _second = tenant_a
    token = _pending_token(_post(client, UPLOAD_URL, dict(iso(), issuer=""), _pdf())
                           .get_data(as_text=True))
    clock.advance(timedelta(hours=24, minutes=1))

    result = runner.invoke(args=["sessions", "purge"])

    assert "1 expired pending uploads" in result.output
    assert PendingUpload.select().count() == 0
    assert token


def test_staff_flow_down_form_keeps_its_pdf_across_a_date_error(client):
    signed_in(client)
    subcontractor = make_subcontractor(flow_down=False)
    url = f"/subcontractors/{subcontractor.id}/flow-down/new"
    future = day(3)

    failed = _post(client, url, {"signed_on": future, "clause_confidentiality": "y"},
                   _pdf("flow-down.pdf"))

    assert failed.status_code == 400
    page = failed.get_data(as_text=True)
    assert "Your file flow-down.pdf is kept" in page
    retried = _post(client, url, {"signed_on": day(-1), "clause_confidentiality": "y",
                                  "pending_upload": _pending_token(page)})
    assert retried.status_code == 302
    newest = FlowDownAgreement.select().order_by(FlowDownAgreement.id.desc()).get()
    assert newest.document.filename == "flow-down.pdf"
    assert PendingUpload.select().count() == 0


def test_staff_evidence_upload_keeps_its_pdf(client):
    signed_in(client)
    make_requirement()
    subcontractor = make_subcontractor()
    url = f"/subcontractors/{subcontractor.id}/attestations/new?type=security_questionnaire"

    failed = _post(client, url, {"issued_on": -10, "issuer": ""}, _pdf("on-behalf.pdf"))

    assert failed.status_code == 400
    retried = _post(client, url, {"issued_on": -10, "issuer": "Itse Oy", "pending_upload":
                                  _pending_token(failed.get_data(as_text=True))})
    assert retried.status_code == 302
    newest = Attestation.select().order_by(Attestation.id.desc()).get()
    assert newest.document.filename == "on-behalf.pdf"


def test_signing_a_dpa_keeps_the_pdf_across_a_date_error(client):
    signed_in(client)
    dpa = make_dpa(status="draft", signed_on=None, effective_from=None)
    url = f"/dpas/{dpa.id}/sign"

    failed = _post(client, url, {"signed_on": day(-1), "expires_on": day(-30)},
                   (io.BytesIO(pdfs.valid_pdf(marker="dpa")), "signed DPA.pdf"), "document")

    assert failed.status_code == 400
    page = failed.get_data(as_text=True)
    assert "Your file signed DPA.pdf is kept" in page
    retried = _post(client, url, {"signed_on": day(-1), "pending_upload": _pending_token(page)})
    assert retried.status_code == 302
    assert Dpa.get_by_id(dpa.id).document.filename == "signed DPA.pdf"
    assert PendingUpload.select().count() == 0
