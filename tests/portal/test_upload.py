"""Uploading through the portal's form: the dates a type needs, their checks, and the PDF check."""

import io
from datetime import timedelta

import pytest

from registry.clock import local_today
from registry.models import Attestation, AttestationType, AuditEvent, Document, DocumentBlob
from tests.auth_helpers import csrf_token
from tests.documents import pdfs


def day(offset):
    """Return the registry's today moved by `offset` days, as the form's YYYY-MM-DD."""
    return (local_today() + timedelta(days=offset)).isoformat()


def upload(client, type_code, fields, data=None, filename="certificate.pdf"):
    """Fill in the upload form for `type_code` and post it with a PDF (or `data`).

    A whole number in `fields` is a date given as days from today.
    """
    url = f"/portal/attestations/new?type={type_code}"
    page = client.get(url)
    assert page.status_code == 200
    fields = {name: day(value) if isinstance(value, int) else value
              for name, value in fields.items()}
    form = dict(fields, csrf_token=csrf_token(page.get_data(as_text=True)))
    body = pdfs.valid_pdf(marker=str(fields)) if data is None else data
    form["file"] = (io.BytesIO(body), filename)
    return client.post(url, data=form, content_type="multipart/form-data")


ISO = {"issuer": "Certifier Oy", "reference": "ISMS-77", "scope": "Hosting in Helsinki",
       "standard_version": "2022"}
SOC2 = {"issuer": "Audit Partners LLP", "reference": "SOC-2026"}


def iso(**dates):
    """Return a complete ISO 27001 form with `dates` overriding sensible ones."""
    return {**ISO, "issued_on": -30, "valid_until": 1000, **dates}


def soc2(**dates):
    """Return a complete SOC 2 Type II form with `dates` overriding sensible ones."""
    return {**SOC2, "period_start": -400, "period_end": -35, "issued_on": -10, **dates}


def test_a_valid_certificate_is_stored_pending_audited_and_shown_awaiting_review(tenant_a):
    client, first, _second = tenant_a
    response = upload(client, "iso27001", iso(), filename="ISO cert.pdf")
    assert response.status_code == 302
    attestation = Attestation.select().order_by(Attestation.id.desc()).first()
    assert attestation.subcontractor_id == first.subcontractor.id
    assert attestation.review == "pending"
    assert (attestation.issuer, attestation.reference, attestation.standard_version) == (
        "Certifier Oy", "ISMS-77", "2022")
    assert attestation.valid_until.isoformat() == day(1000)
    assert attestation.document.filename == "ISO cert.pdf"
    assert attestation.uploaded_by_id == first.user.id
    assert attestation.supersedes_id == first.upload.id
    event = AuditEvent.get(AuditEvent.action == "attestation.uploaded")
    assert event.object_id == str(attestation.id) and event.actor_id == first.user.id
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "awaiting review" in page.lower()


def test_a_report_keeps_its_period_and_counts_from_its_end(tenant_a):
    client, _first, _second = tenant_a
    response = upload(client, "soc2_type2", soc2())
    assert response.status_code == 302
    attestation = Attestation.select().order_by(Attestation.id.desc()).first()
    assert attestation.period_end.isoformat() == day(-35)
    assert attestation.valid_until is None
    flash = client.get("/portal/").get_data(as_text=True)
    assert "Once accepted, it counts until" in flash


DATE_CASES = [
    ("issued in the future", "iso27001", iso(issued_on=3), "issued_on", "in the future"),
    ("expiry before issue", "iso27001", iso(issued_on=-30, valid_until=-40),
     "valid_until", "after the issue date"),
    ("expired certificate", "iso27001", iso(issued_on=-1000, valid_until=-5),
     "valid_until", "which has passed"),
    ("expiry beyond the type's 36 months", "iso27001", iso(issued_on=-30, valid_until=1100),
     "valid_until", "counts for at most 36 months"),
    ("2013 version", "iso27001", iso(standard_version="2013"), "standard_version",
     "which has passed"),
    ("period ends today", "soc2_type2", soc2(period_end=0, issued_on=0), "period_end",
     "ended before today"),
    ("period reversed", "soc2_type2", soc2(period_start=-20, period_end=-30),
     "period_end", "before it starts"),
    ("report before period end", "soc2_type2", soc2(issued_on=-50), "issued_on",
     "before the end of the period"),
    ("report too old", "soc2_type2",
     soc2(period_start=-900, period_end=-600, issued_on=-580), "period_end",
     "which has passed"),
    ("missing issuer", "iso27001", dict(iso(), issuer=""), "issuer", "Enter who issued it"),
    ("missing dates", "soc2_type2", dict(SOC2), "period_end",
     "Enter the last day of the report period (period_end): without it this SOC 2 Type II "
     "report cannot be dated"),
    ("year 1999", "iso27001", iso(issued_on="1999-12-31"), "issued_on", "Check the year"),
    ("not a date", "iso27001", iso(issued_on="31.12.2025"), "issued_on", "Enter the date"),
]


@pytest.mark.parametrize(("type_code", "fields", "field", "message"),
                         [case[1:] for case in DATE_CASES], ids=[case[0] for case in DATE_CASES])
def test_dates_are_checked_with_the_message_next_to_the_field(tenant_a, type_code, fields,
                                                              field, message):
    client, _first, _second = tenant_a
    count = Attestation.select().count()
    response = upload(client, type_code, fields)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    error_start = page.index(f'id="{field}-error"')
    assert message in page[error_start:error_start + 400]
    assert Attestation.select().count() == count


@pytest.mark.parametrize(("data", "reason"), [
    (pdfs.javascript_in_names(), "contains JavaScript"),
    (pdfs.launch_action(), "start another program"),
    (pdfs.embedded_file(), "embedded or attached files"),
    (pdfs.encrypted("pw"), "password-protected"),
    (pdfs.HTML, "not a PDF"),
    (pdfs.renamed_executable(), "not a PDF"),
    (b"", "The file is empty"),
    (pdfs.PDF_HEADER_AND_JUNK, "damaged or incomplete"),
], ids=["javascript", "launch", "embedded", "encrypted", "html", "exe", "empty", "junk"])
def test_a_refused_file_leaves_no_row_and_says_why(tenant_a, data, reason):
    client, _first, _second = tenant_a
    before = (Attestation.select().count(), Document.select().count(),
              DocumentBlob.select().count())
    response = upload(client, "iso27001", iso(), data=data, filename="cert.pdf")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    error_start = page.index('id="file-error"')
    assert reason in page[error_start:error_start + 400]
    assert (Attestation.select().count(), Document.select().count(),
            DocumentBlob.select().count()) == before


def test_a_form_without_a_file_asks_for_one(tenant_a):
    client, _first, _second = tenant_a
    page = client.get("/portal/attestations/new?type=iso27001").get_data(as_text=True)
    form = {name: day(value) if isinstance(value, int) else value
            for name, value in iso().items()}
    response = client.post("/portal/attestations/new?type=iso27001",
                           data=dict(form, csrf_token=csrf_token(page)),
                           content_type="multipart/form-data")
    assert response.status_code == 422
    assert "Choose the PDF file to upload." in response.get_data(as_text=True)


def test_only_allowed_types_can_be_chosen(tenant_a):
    client, _first, _second = tenant_a
    AttestationType.update(uploadable=False).where(
        AttestationType.code.in_(["pentest_report", "iso27001"])).execute()
    chooser = client.get("/portal/attestations/new").get_data(as_text=True)
    assert "type=iso27001" in chooser  # required of a medium-tier company: always allowed
    assert "type=pentest_report" not in chooser  # not required of it and not uploadable
    assert client.get("/portal/attestations/new?type=pentest_report").status_code == 404
    assert client.get("/portal/attestations/new?type=nonsense").status_code == 404
    response = upload_refused(client, "pentest_report")
    assert response.status_code == 404


def upload_refused(client, type_code):
    """Post a complete form for a type the company may not upload."""
    token = csrf_token(client.get("/portal/contacts").get_data(as_text=True))
    return client.post(f"/portal/attestations/new?type={type_code}",
                       data={"csrf_token": token, "issuer": "X", "issued_on": day(-5),
                             "file": (io.BytesIO(pdfs.valid_pdf()), "x.pdf")},
                       content_type="multipart/form-data")


def test_a_requirement_link_offers_just_its_types(tenant_a):
    client, _first, _second = tenant_a
    page = client.get("/portal/attestations/new?requirement=medium_security_certification")
    text = page.get_data(as_text=True)
    assert "any one of these will do" in text
    assert "type=soc2_type2" in text and "type=security_questionnaire" not in text


def test_the_form_asks_only_for_the_dates_a_type_needs(tenant_a):
    client, _first, _second = tenant_a
    iso_page = client.get("/portal/attestations/new?type=iso27001").get_data(as_text=True)
    soc_page = client.get("/portal/attestations/new?type=soc2_type2").get_data(as_text=True)
    questionnaire = client.get(
        "/portal/attestations/new?type=security_questionnaire").get_data(as_text=True)
    assert 'name="valid_until"' in iso_page and 'name="period_end"' not in iso_page
    assert 'name="standard_version"' in iso_page
    assert 'name="period_start"' in soc_page and 'name="valid_until"' not in soc_page
    assert "12 months after the report period ends" in soc_page
    assert "bridge letter" in soc_page
    assert 'name="valid_until"' not in questionnaire and 'name="period_end"' not in questionnaire
    assert "12 months from the date on it" in questionnaire


@pytest.mark.parametrize(("query", "expected"), [
    ("type=soc2_type2&period_end=2026-06-30", "2027-06-30"),
    ("type=iso27001&issued_on=2026-01-10&valid_until=2029-01-09&standard_version=2022",
     "2029-01-09"),
    ("type=iso27001&issued_on=2026-01-10&standard_version=2022", "2029-01-10"),
    # Only the 2022 edition counts after October 2025 (GDPR-REFERENCE.md 5).
    ("type=iso27001&issued_on=2026-01-10", "2025-10-31"),
    ("type=iso27001&issued_on=2024-01-10&valid_until=2027-01-09&standard_version=2013",
     "2025-10-31"),
    ("type=security_questionnaire&issued_on=2026-02-28", "2027-02-28"),
])
def test_the_validity_preview_is_the_engines_answer(tenant_a, query, expected):
    client, _first, _second = tenant_a
    answer = client.get(f"/portal/attestations/validity?{query}").get_json()
    assert answer["counts_until"] == expected
    assert ("counted only until" if expected < local_today().isoformat()
            else "will count until") in answer["text"]


def test_the_validity_preview_refuses_types_the_company_may_not_upload(tenant_a):
    client, _first, _second = tenant_a
    AttestationType.update(uploadable=False).where(
        AttestationType.code == "pentest_report").execute()
    url = "/portal/attestations/validity?type=pentest_report&issued_on=2026-01-01"
    assert client.get(url).status_code == 404


def multipart_body(fields, data, boundary="portal-boundary"):
    """Return a multipart/form-data body with `fields` and one file named `file`."""
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
                 f'filename="big.pdf"\r\nContent-Type: application/pdf\r\n\r\n'.encode()
                 + data + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), boundary


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_a_50_mb_upload_gets_the_friendly_413_page_and_nothing_is_stored(tenant_a, chunked):
    client, _first, _second = tenant_a
    token = csrf_token(client.get("/portal/attestations/new?type=iso27001").get_data(as_text=True))
    fields = {name: day(value) if isinstance(value, int) else value
              for name, value in iso().items()}
    body, boundary = multipart_body(dict(fields, csrf_token=token),
                                    pdfs.valid_pdf() + b"%" + b"x" * (50 * 1024 * 1024))
    options = {"content_type": f"multipart/form-data; boundary={boundary}"}
    if chunked:
        options.update(input_stream=io.BytesIO(body), headers={"Transfer-Encoding": "chunked"},
                       environ_overrides={"wsgi.input_terminated": True})
    else:
        options["data"] = body
    before = (Attestation.select().count(), Document.select().count())
    response = client.post("/portal/attestations/new?type=iso27001", **options)
    assert response.status_code == 413
    assert "That file is too large" in response.get_data(as_text=True)
    assert (Attestation.select().count(), Document.select().count()) == before


def test_a_chunked_upload_under_the_limit_is_accepted(tenant_a):
    client, _first, _second = tenant_a
    token = csrf_token(client.get("/portal/attestations/new?type=iso27001").get_data(as_text=True))
    fields = {name: day(value) if isinstance(value, int) else value
              for name, value in iso().items()}
    body, boundary = multipart_body(dict(fields, csrf_token=token), pdfs.valid_pdf(marker="c"))
    response = client.post("/portal/attestations/new?type=iso27001",
                           input_stream=io.BytesIO(body),
                           content_type=f"multipart/form-data; boundary={boundary}",
                           headers={"Transfer-Encoding": "chunked"},
                           environ_overrides={"wsgi.input_terminated": True})
    assert response.status_code == 302
    assert Attestation.select().order_by(Attestation.id.desc()).first().review == "pending"
