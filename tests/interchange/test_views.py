"""The Import page: a bad workbook shows its problems by row, a good one previews, then imports."""

import io
import json

import pytest
from openpyxl import load_workbook

from registry.models import Attestation, AuditEvent, Controller, Dpa
from tests.auth_helpers import csrf_token, login
from tests.factories import make_user
from tests.interchange.samples import GOOD_ROWS, sample_document, workbook_bytes


def upload(client, content, filename="registry.xlsx"):
    """Post a file to the Import page with the page's CSRF token."""
    token = csrf_token(client.get("/import").get_data(as_text=True))
    return client.post("/import", data={"file": (io.BytesIO(content), filename),
                                        "csrf_token": token},
                       content_type="multipart/form-data")


def confirm(client, page):
    """Press "Import these changes" on a report page."""
    return client.post("/import/confirm",
                       data={"csrf_token": csrf_token(page.get_data(as_text=True))})


@pytest.fixture
def legal(client):
    """A signed-in legal user's client."""
    return login(client, make_user("legal"))


def test_the_page_offers_the_template_and_the_export(legal):
    page = legal.get("/import")

    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'href="/import/template.xlsx"' in html and 'href="/export"' in html
    assert 'enctype="multipart/form-data"' in html
    assert ">Import</a>" in html  # the navigation entry


def test_a_bad_workbook_shows_every_problem_by_row_and_writes_nothing(legal):
    rows = {"controllers": [["c-aurora", "Aurora Kauppa Oy", "1572860-1", "FI"]],
            "dpas": [["c-nobody", 1, "DPA", "valid", "01.03.2025", None, None, None, None, None,
                      "general"]]}

    page = upload(legal, workbook_bytes(rows))

    html = page.get_data(as_text=True)
    assert page.status_code == 422
    assert "4 problems found. Nothing was imported." in html
    assert "sheet controllers, row 2, field business_id" in html
    assert "This is not a valid Y-tunnus: check digit should be 0." in html
    assert "sheet dpas, row 2, field status" in html
    assert "bad date &#39;01.03.2025&#39;: expected YYYY-MM-DD" in html
    assert "unknown controller key &#39;c-nobody&#39;" in html
    assert "Import these changes" not in html
    assert Controller.select().count() == 0
    assert confirm(legal, page).status_code == 302
    assert Controller.select().count() == 0


def test_a_good_workbook_previews_then_imports_on_confirmation(legal):
    page = upload(legal, workbook_bytes(GOOD_ROWS))

    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "This is what importing it will change" in html
    assert "New: <code>c-aurora / 1</code>" in html
    assert Controller.select().count() == 0

    done = confirm(legal, page)

    assert done.status_code == 302
    assert Dpa.get().controller.key == "c-aurora"
    event = AuditEvent.get(AuditEvent.action == "registry.import")
    assert event.actor_label.startswith("legal")
    followed = legal.get(done.headers["Location"], follow_redirects=True)
    assert "Imported registry.xlsx: 2 records created, 0 updated." in followed.get_data(
        as_text=True)
    assert confirm(legal, page).status_code == 302  # the file is gone after use
    assert Controller.select().count() == 1


def test_an_empty_template_says_it_holds_no_records(legal):
    page = upload(legal, workbook_bytes({}))

    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "The file holds no records" in html
    assert "Import these changes" not in html


def test_a_json_file_can_be_imported_too(client):
    user = make_user("legal")
    login(client, user)
    content = json.dumps(sample_document()).encode()

    page = upload(client, content, "registry.json")
    confirm(client, page)

    assert Dpa.select().count() == 3
    accepted = Attestation.get(Attestation.review == "accepted")
    assert accepted.reviewed_by_id == user.id  # the importing user vouches for the review


def test_a_checked_file_belongs_to_the_session_that_checked_it(app, legal):
    page = upload(legal, workbook_bytes(GOOD_ROWS))
    other = login(app.test_client(), make_user("legal"))
    token = csrf_token(other.get("/import").get_data(as_text=True))

    response = other.post("/import/confirm", data={"csrf_token": token})

    assert response.status_code == 302
    assert Controller.select().count() == 0
    assert page.status_code == 200


def test_a_file_that_is_neither_workbook_nor_json_is_refused_next_to_the_field(legal):
    page = upload(legal, b"%PDF-1.7", "registry.pdf")
    broken = upload(legal, b"PK\x03\x04 broken", "registry.xlsx")

    assert page.status_code == 400
    assert "Save the spreadsheet as .xlsx" in page.get_data(as_text=True)
    assert broken.status_code == 400
    assert "registry.xlsx is not a readable .xlsx workbook" in broken.get_data(as_text=True)


def test_the_template_and_the_export_download(legal):
    legal_client = legal
    upload(legal_client, json.dumps(sample_document()).encode(), "registry.json")
    template = legal_client.get("/import/template.xlsx")
    export = legal_client.get("/export")

    assert template.status_code == 200
    assert "attachment" in template.headers["Content-Disposition"]
    assert "controllers" in load_workbook(io.BytesIO(template.data)).sheetnames
    assert export.status_code == 200
    assert export.headers["Content-Disposition"].startswith('attachment; filename="dpa-registry-')
    assert export.headers["X-Content-Type-Options"] == "nosniff"
    assert json.loads(export.data)["format"] == "dpa-registry/1"
    assert AuditEvent.select().where(AuditEvent.action == "registry.export").count() == 1


@pytest.mark.parametrize("role", ["auditor", "subcontractor"])
def test_other_roles_may_not_import(app, client, role):
    login(client, make_user(role))

    for url in ("/import", "/import/template.xlsx"):
        assert client.get(url).status_code == 403
    assert client.post("/import/confirm").status_code in {400, 403}


@pytest.mark.parametrize(("role", "status"), [("auditor", 200), ("subcontractor", 403)])
def test_auditors_may_export_the_registry_but_subcontractor_users_may_not(app, client, role,
                                                                          status):
    login(client, make_user(role))
    export = client.get("/export")
    assert export.status_code == status
    if status == 200:
        assert export.json["format"] == "dpa-registry/1"
        assert AuditEvent.select().where(AuditEvent.action == "registry.export").count() == 1


def test_the_preview_names_the_fields_a_change_touches(legal):
    document = sample_document()
    confirm(legal, upload(legal, json.dumps(document).encode(), "registry.json"))
    document["controllers"][1]["name"] = "Grüne Gutscheine GmbH & Co. KG"
    document["controllers"][1]["ordered_via"] = None
    page = upload(legal, json.dumps(document).encode(), "registry.json").get_data(as_text=True)
    assert ("Changed: <code>c-gutschein</code> "
            '<span class="muted">(name, ordered via)</span>') in page


def test_a_windows_1252_csv_upload_is_explained_next_to_the_field(legal):
    page = upload(legal, "key,name\nc-1,Pääkaupunki Oy\n".encode("cp1252"), "controllers.csv")
    assert page.status_code == 400
    assert "controllers.csv is not UTF-8 text: line 2" in page.get_data(as_text=True)


def test_an_ods_upload_is_asked_to_be_saved_as_xlsx_or_csv(legal):
    page = upload(legal, b"PK\x03\x04 an OpenDocument spreadsheet", "registry.ods")
    assert page.status_code == 400
    assert "Save the spreadsheet as .xlsx" in page.get_data(as_text=True)
