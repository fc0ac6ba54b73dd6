"""DPA pages: draft, edit, sign with the PDF, new version, terminate, attach and download."""

import io
import json
import re
from datetime import timedelta

import pytest
from werkzeug.datastructures import FileStorage

from registry import documents
from registry.checks import current_snapshot
from registry.clock import local_today
from registry.compliance import Severity
from registry.models import CLAUSE_KEYS, AuditEvent, Document, Dpa
from tests.controllers.helpers import pdf_file, signed_in, submit, text
from tests.documents.pdfs import javascript_link_action
from tests.registry_factories import make_controller, make_dpa

DRAFT = {"title": "Data processing agreement", "subprocessor_authorisation": "general",
         "objection_period_days": "30", "breach_notice_hours": "48", "expires_on": "",
         "dsr_forward_days": "3", "return_or_deletion_days": "45",
         "review_due_on": "2027-06-30", "subject_matter": "Web shop operation",
         "duration": "Term of the service", "nature_and_purpose": "Hosting",
         "personal_data_types": "Name, e-mail", "data_subject_categories": "Customers",
         **{f"clause_{key}": "y" for key in CLAUSE_KEYS}}


def _iso(days=0):
    return (local_today() + timedelta(days=days)).isoformat()


def _draft(controller=None, **overrides):
    return make_dpa(controller=controller, status="draft", signed_on=None, effective_from=None,
                    **overrides)


def test_show_has_terms_description_checklist_and_the_draft_actions(app, client):
    dpa = _draft(clauses={"confidentiality": True}, subject_matter="Operating the web shop")
    signed_in(client)
    page = text(client.get(f"/dpas/{dpa.id}"))
    assert "Operating the web shop" in page
    assert "(a)" in page and "(h)" in page and "Missing" in page
    assert "Edit the draft" in page and "Sign and upload the PDF" in page


def test_unknown_dpa_is_404(app, client):
    signed_in(client)
    assert client.get("/dpas/4242").status_code == 404


def test_create_drafts_version_one_and_audits_it(app, client):
    controller = make_controller()
    signed_in(client)
    response = submit(client, f"/controllers/{controller.id}/dpas/new",
                      dict(DRAFT, clause_audits_and_information=""))
    assert response.status_code == 302
    dpa = Dpa.get(Dpa.controller == controller)
    assert (dpa.version, dpa.status, dpa.objection_period_days) == (1, "draft", 30)
    assert dpa.dsr_forward_days == 3
    assert dpa.return_or_deletion_days == 45
    assert dpa.clauses["audits_and_information"] is False
    assert dpa.clauses["confidentiality"] is True
    details = json.loads(AuditEvent.get(AuditEvent.action == "dpa.created").details)
    assert details["after"]["subject_matter"] == "Web shop operation"


@pytest.mark.parametrize(("changes", "message"), [
    ({"objection_period_days": "-1"}, "The objection period must be from 1 to 365 days."),
    ({"objection_period_days": "0"}, "The objection period must be from 1 to 365 days."),
    ({"breach_notice_hours": "0"}, "Enter the hours promised, from 1 to 720."),
    ({"dsr_forward_days": "0"}, "Enter the working days agreed, from 1 to 30."),
    ({"return_or_deletion_days": "366"}, "Enter the days agreed, from 0 to 365."),
    ({"title": ""}, "Enter a title."),
])
def test_create_shows_errors_next_to_the_field(app, client, changes, message):
    controller = make_controller()
    signed_in(client)
    response = submit(client, f"/controllers/{controller.id}/dpas/new", dict(DRAFT, **changes))
    assert response.status_code == 400
    assert message in text(response)
    assert not Dpa.select().exists()


def test_a_second_draft_is_not_started_while_one_exists(app, client):
    draft = _draft()
    signed_in(client)
    response = client.get(f"/controllers/{draft.controller_id}/dpas/new")
    assert response.status_code == 302 and response.headers["Location"].endswith(
        f"/dpas/{draft.id}")


def test_edit_changes_a_draft_and_records_before_and_after(app, client):
    dpa = _draft(breach_notice_hours=72)
    signed_in(client)
    assert "72" in text(client.get(f"/dpas/{dpa.id}/edit"))
    response = submit(client, f"/dpas/{dpa.id}/edit", dict(DRAFT, breach_notice_hours="24"))
    assert response.status_code == 302
    assert Dpa.get_by_id(dpa.id).breach_notice_hours == 24
    details = json.loads(AuditEvent.get(AuditEvent.action == "dpa.updated").details)
    assert details["before"]["breach_notice_hours"] == 72
    assert details["after"]["breach_notice_hours"] == 24


def test_a_signed_dpa_is_never_edited(app, client):
    dpa = make_dpa(title="Signed terms")
    signed_in(client)
    response = submit(client, f"/dpas/{dpa.id}/edit", dict(DRAFT, title="Changed"),
                      page_url=f"/dpas/{dpa.id}")
    assert response.status_code == 302
    assert Dpa.get_by_id(dpa.id).title == "Signed terms"
    assert "Start a new version instead" in text(client.get(response.headers["Location"]))


def test_signing_with_the_pdf_makes_the_controller_green(app, client):
    dpa = _draft()
    assert current_snapshot().assessment.controller_status[dpa.controller_id] is Severity.RED
    signed_in(client)
    assert "Sign version 1" in text(client.get(f"/dpas/{dpa.id}/sign"))
    response = submit(client, f"/dpas/{dpa.id}/sign", {
        "signed_on": _iso(-1), "effective_from": "", "expires_on": "", "review_due_on": "",
        "document": pdf_file()})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/controllers/{dpa.controller_id}#dpa")
    dpa = Dpa.get_by_id(dpa.id)
    assert (dpa.status, dpa.signed_on.isoformat(), dpa.effective_from.isoformat()) == (
        "signed", _iso(-1), _iso(-1))
    assert dpa.document.filename == "signed.pdf" and dpa.document.page_count == 1
    assert current_snapshot().assessment.controller_status[dpa.controller_id] is Severity.GREEN
    assert AuditEvent.select().where(AuditEvent.action == "dpa.signed").count() == 1


@pytest.mark.parametrize(("changes", "message"), [
    ({"document": None}, "Choose the signed PDF."),
    ({"signed_on": 3}, "The signature date cannot be in the future."),
    ({"signed_on": ""}, "Enter the date"),
    ({"expires_on": -5}, "The expiry date must come after the day it comes into force."),
])
def test_sign_shows_errors_next_to_the_field(app, client, changes, message):
    dpa = _draft()
    signed_in(client)
    data = {"signed_on": _iso(-1), "effective_from": "", "expires_on": "",
            "review_due_on": "", "document": pdf_file()}
    data.update({key: _iso(value) if isinstance(value, int) else value
                 for key, value in changes.items()})
    data = {key: value for key, value in data.items() if value is not None}
    response = submit(client, f"/dpas/{dpa.id}/sign", data)
    assert response.status_code == 400
    assert message in text(response)
    assert Dpa.get_by_id(dpa.id).status == "draft"


def test_sign_refuses_an_unsafe_pdf_with_the_reason(app, client):
    dpa = _draft()
    signed_in(client)
    response = submit(client, f"/dpas/{dpa.id}/sign", {
        "signed_on": _iso(-1), "document": (io.BytesIO(javascript_link_action()), "x.pdf")})
    assert response.status_code == 400
    assert 'id="document-error"' in text(response)
    assert Dpa.get_by_id(dpa.id).status == "draft"
    assert not Document.select().exists()


def test_a_new_version_suggests_the_next_version_in_the_title(app, client):
    old = make_dpa(title="Data processing agreement v1")
    signed_in(client)
    assert 'value="Data processing agreement v2"' in text(
        client.get(f"/dpas/{old.id}/new-version"))


def test_new_version_supersedes_the_old_one_when_signed(app, client):
    old = make_dpa(title="DPA 2024", breach_notice_hours=48)
    signed_in(client)
    form = text(client.get(f"/dpas/{old.id}/new-version"))
    assert "DPA 2024" in form and "Starts from version 1" in form
    response = submit(client, f"/dpas/{old.id}/new-version", dict(DRAFT, title="DPA 2026"))
    new = Dpa.get(Dpa.title == "DPA 2026")
    assert (new.version, new.status, new.supersedes_id) == (2, "draft", old.id)
    assert Dpa.get_by_id(old.id).status == "signed"
    submit(client, f"/dpas/{new.id}/sign", {"signed_on": _iso(0), "document": pdf_file()})
    assert Dpa.get_by_id(old.id).status == "superseded"
    assert Dpa.get_by_id(new.id).status == "signed"
    superseded = AuditEvent.get(AuditEvent.action == "dpa.superseded")
    assert json.loads(superseded.details)["superseded_by"] == new.id
    assert response.status_code == 302


def test_terminate_in_the_past_ends_the_dpa_with_the_option(app, client):
    dpa = make_dpa()
    signed_in(client)
    page = text(client.get(f"/dpas/{dpa.id}"))
    assert "Terminate this DPA" in page and "This cannot be undone" in page
    response = submit(client, f"/dpas/{dpa.id}/terminate",
                      {"terminated_on": _iso(0), "return_or_deletion": "deletion"},
                      page_url=f"/dpas/{dpa.id}")
    assert response.status_code == 302
    dpa = Dpa.get_by_id(dpa.id)
    assert (dpa.status, dpa.return_or_deletion) == ("terminated", "deletion")
    assert current_snapshot().assessment.controller_status[dpa.controller_id] is Severity.RED


def test_terminate_in_the_future_keeps_the_dpa_in_force_until_then(app, client):
    dpa = make_dpa()
    signed_in(client)
    submit(client, f"/dpas/{dpa.id}/terminate",
           {"terminated_on": _iso(40), "return_or_deletion": "return_then_deletion"},
           page_url=f"/dpas/{dpa.id}")
    dpa = Dpa.get_by_id(dpa.id)
    assert (dpa.status, dpa.terminated_on.isoformat()) == ("signed", _iso(40))
    assert current_snapshot().assessment.controller_status[dpa.controller_id] is Severity.GREEN


def test_terminate_without_an_option_is_refused_next_to_the_field(app, client):
    dpa = make_dpa()
    signed_in(client)
    response = submit(client, f"/dpas/{dpa.id}/terminate",
                      {"terminated_on": _iso(0), "return_or_deletion": ""},
                      page_url=f"/dpas/{dpa.id}")
    assert response.status_code == 400
    assert ("Choose what happens to the personal data at the end: return, deletion, or return "
            "then deletion.") in text(response)
    assert Dpa.get_by_id(dpa.id).status == "signed"


def test_attach_and_download_the_signed_pdf(app, client):
    dpa = make_dpa(document=None)
    signed_in(client)
    assert "recorded without its signed PDF" in text(client.get(f"/dpas/{dpa.id}"))
    assert client.get(f"/dpas/{dpa.id}/document").status_code == 404
    response = submit(client, f"/dpas/{dpa.id}/document",
                      {"document": pdf_file(name="Sopimus ä.pdf")}, page_url=f"/dpas/{dpa.id}")
    assert response.status_code == 302
    download = client.get(f"/dpas/{dpa.id}/document")
    assert download.status_code == 200 and download.data.startswith(b"%PDF")
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert "filename*=UTF-8''Sopimus%20%C3%A4.pdf" in download.headers["Content-Disposition"]
    assert download.headers["X-Content-Type-Options"] == "nosniff"


def test_auditor_reads_and_downloads_but_sees_no_buttons_and_cannot_write(app, client):
    draft = _draft()
    signed = make_dpa()
    stream, name = pdf_file()
    signed.document = documents.store_upload(FileStorage(stream, name), None)
    signed.save()
    signed_in(client, "auditor")
    for dpa in (draft, signed):
        page = text(client.get(f"/dpas/{dpa.id}"))
        for action in ("Edit the draft", "Sign and upload", "Start a new version", "Terminate"):
            assert action not in page
    assert client.get(f"/dpas/{signed.id}/document").status_code == 200
    writes = [(f"/controllers/{draft.controller_id}/dpas/new", DRAFT),
              (f"/dpas/{draft.id}/edit", DRAFT),
              (f"/dpas/{draft.id}/sign", {"signed_on": _iso(0), "document": pdf_file()}),
              (f"/dpas/{signed.id}/new-version", DRAFT),
              (f"/dpas/{signed.id}/terminate", {"terminated_on": _iso(0),
                                                "return_or_deletion": "deletion"}),
              (f"/dpas/{signed.id}/document", {"document": pdf_file()})]
    for url, data in writes:
        if not url.endswith("/document"):  # GET there is the download, which auditors may use
            assert client.get(url).status_code in (403, 405)
        assert submit(client, url, data, page_url=f"/dpas/{signed.id}").status_code == 403
    assert Dpa.get_by_id(draft.id).status == "draft"
    assert Dpa.get_by_id(signed.id).terminated_on is None


def test_subcontractor_users_cannot_open_or_download_dpas(app, client):
    dpa = make_dpa()
    signed_in(client, "subcontractor")
    assert client.get(f"/dpas/{dpa.id}").status_code == 403
    assert client.get(f"/dpas/{dpa.id}/document").status_code == 403


def test_an_expired_dpa_says_so_instead_of_current(app, client):
    dpa = make_dpa(title="Data processing agreement v1", expires_on=local_today() - timedelta(
        days=10))
    signed_in(client)
    for url in (f"/dpas/{dpa.id}", f"/controllers/{dpa.controller_id}"):
        page = text(client.get(url))
        assert f"Signed · expired {_iso(-10)}" in page, url
        assert ">Current<" not in page, url
        # The title names its version already; no "· version 1" after it.
        assert re.search(r'muted">\s*·?\s*version 1', page) is None, url


def test_page_count_of_the_signed_pdf_is_singular_for_one_page(app, client):
    dpa = make_dpa()
    signed_in(client)
    submit(client, f"/dpas/{dpa.id}/document", {"document": pdf_file()},
           page_url=f"/dpas/{dpa.id}")
    page = text(client.get(f"/dpas/{dpa.id}"))
    assert "(1 page)" in page and "pages)" not in page


def test_a_finding_on_the_dpa_page_does_not_link_to_the_page_itself(app, client):
    dpa = make_dpa(clauses={key: key != "audits_and_information" for key in CLAUSE_KEYS})
    signed_in(client)
    page = text(client.get(f"/dpas/{dpa.id}"))
    assert "lacks clause (h) audits and information" in page
    assert f'class="finding__link" href="/dpas/{dpa.id}"' not in page
    dashboard = text(client.get("/dashboard"))
    assert f'class="finding__link" href="/dpas/{dpa.id}"' in dashboard


@pytest.mark.parametrize("upload", [None, "junk"], ids=["no-file", "not-a-pdf"])
def test_attaching_to_a_dpa_that_has_its_pdf_says_so(app, client, upload):
    dpa = make_dpa()
    signed_in(client)
    url, page_url = f"/dpas/{dpa.id}/document", f"/dpas/{dpa.id}"
    submit(client, url, {"document": pdf_file()}, page_url=page_url)
    files = {} if upload is None else {"document": (io.BytesIO(b"%PDF-1.4 junk"), "a.pdf")}
    response = submit(client, url, files, page_url=page_url)
    assert response.status_code == 302
    assert "Only a signed DPA without its PDF can get one attached." in text(
        client.get(page_url))


@pytest.mark.parametrize("form", [
    {}, {"terminated_on": "2026-01-01", "return_or_deletion": "return"}],
    ids=["empty-form", "complete-form"])
def test_terminating_a_dpa_that_already_ends_says_so(app, client, form):
    dpa = make_dpa()
    signed_in(client)
    url, page_url = f"/dpas/{dpa.id}/terminate", f"/dpas/{dpa.id}"
    submit(client, url, {"terminated_on": _iso(40), "return_or_deletion": "deletion"},
           page_url=page_url)
    response = submit(client, url, form, page_url=page_url)
    assert response.status_code == 302
    assert f"This DPA ends on {_iso(40)} already." in text(client.get(page_url))
    assert Dpa.get_by_id(dpa.id).terminated_on.isoformat() == _iso(40)


def test_a_file_that_is_not_a_pdf_is_refused_next_to_the_field_and_nothing_is_stored(app, client):
    dpa = make_dpa(document=None)
    signed_in(client)
    response = submit(client, f"/dpas/{dpa.id}/document",
                      {"document": (io.BytesIO(b"<html>not a pdf</html>"), "signed.pdf")},
                      page_url=f"/dpas/{dpa.id}")
    assert response.status_code == 400
    assert "not a PDF" in text(response)
    assert Dpa.get_by_id(dpa.id).document_id is None
