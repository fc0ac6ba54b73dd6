"""The /reports page, its downloads and the admin settings page, through real sign-ins."""

import io
from datetime import UTC, datetime, timedelta, timezone

import pytest
from pypdf import PdfReader

from registry.models import AuditEvent, Setting
from registry.settings.store import load_settings
from tests.auth_helpers import csrf_token, login
from tests.factories import make_user
from tests.registry_factories import make_controller, make_dpa
from tests.reports.factories import build_registry, normalised, read_pdf


def signed_in(client, role):
    login(client, make_user(role=role))
    return client


@pytest.mark.parametrize("role", ["admin", "legal", "auditor"])
def test_readers_see_the_reports_page(app, client, role):
    build_registry()
    page = signed_in(client, role).get("/reports")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    for title in ("Compliance report", "Sub-processor list", "DPA register",
                  "Record of processing activities (Art. 30(2))"):
        assert title in html
    assert "Åkerlund &amp; Söner Ab" in html
    assert 'href="/reports"' in html  # the navigation entry


def test_subcontractor_users_get_no_reports(app, client):
    registry = build_registry()
    client = signed_in(client, "subcontractor")
    assert client.get("/reports").status_code == 403
    url = f"/reports/download?kind=subprocessors&controller_id={registry.aakerlund.id}"
    assert client.get(url).status_code == 403


def test_signed_out_visitors_are_sent_to_login(app, client):
    response = client.get("/reports/download?kind=dpa-register")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_download_sends_the_pdf_as_an_attachment_and_audits_it(app, client, clock):
    clock.move_to(datetime(2027, 7, 1, 5, 45, tzinfo=UTC))  # 08:45 summer time in Helsinki
    registry = build_registry()
    client = signed_in(client, "auditor")
    response = client.get("/reports/download", query_string={
        "kind": "subprocessors", "controller_id": registry.aakerlund.id, "today": "2026-11-25"})
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == (
        "attachment; filename=sub-processors-akerlund-soner-ab-2026-11-25.pdf")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response.headers["Cache-Control"]
    _, text, _ = read_pdf(response.data)
    assert "Sub-processors processing personal data of Åkerlund & Söner Ab" in normalised(text)
    assert "Generated 2027-07-01 08:45 EEST" in text  # the request's now, not the machine's
    assert PdfReader(io.BytesIO(response.data)).metadata.creation_date == datetime(
        2027, 7, 1, 8, 45, tzinfo=timezone(timedelta(hours=3)))
    event = AuditEvent.select().where(AuditEvent.action == "report.downloaded").get()
    assert event.object_id == str(registry.aakerlund.id)


def test_url_for_download_report_works_from_other_pages(app):
    from flask import url_for

    with app.test_request_context():
        url = url_for("reports.download_report", kind="compliance", controller_id=7)
    assert url == "/reports/download?kind=compliance&controller_id=7"


@pytest.mark.parametrize("query, message", [
    ({"kind": "subprocessors"}, "The sub-processor list is made for one controller"),
    ({"kind": "compliance", "controller_id": "999"}, "Choose a controller from the list."),
    ({"kind": "nonsense"}, "Not a valid choice"),
    ({"kind": "compliance", "today": "25.11.2026"}, "Not a valid date value."),
])
def test_bad_choices_are_explained_next_to_the_field(app, client, query, message):
    build_registry()
    response = signed_in(client, "legal").get("/reports/download", query_string=query)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


def test_whole_registry_beyond_the_web_limit_points_to_the_cli(app, client):
    app.config["REPORT_WEB_MAX_ROWS"] = 3
    build_registry()
    client = signed_in(client, "legal")
    response = client.get("/reports/download", query_string={"kind": "dpa-register"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "is too large to typeset here (limit 3)" in html
    assert "dpa-registry report dpa-register -o dpa-register.pdf" in html
    one = make_controller(name="Lumi Design Oy")
    make_dpa(one)
    response = client.get("/reports/download",
                          query_string={"kind": "dpa-register", "controller_id": one.id})
    assert response.status_code == 200


def test_a_report_that_fails_to_typeset_shows_why(app, client):
    app.config["REPORT_WEB_TIMEOUT_SECONDS"] = 0.001
    build_registry()
    response = signed_in(client, "legal").get("/reports/download",
                                              query_string={"kind": "compliance"})
    assert response.status_code == 503
    assert "took longer than 0.001 s" in response.get_data(as_text=True)


def test_admin_saves_settings_that_reports_print(app, client):
    client = signed_in(client, "admin")
    page = client.get("/admin/settings")
    assert page.status_code == 200
    response = client.post("/admin/settings", data={
        "csrf_token": csrf_token(page.get_data(as_text=True)),
        "processor_name": "  Verkkopalvelut Pohjola Oy ",
        "processor_contact": "privacy@pohjola.example",
        "representative": "", "dpo_contact": "Tietosuojavastaava Aino Ö.",
        "security_measures": "MFA everywhere.",
    })
    assert response.status_code == 302
    assert load_settings()["processor_name"] == "Verkkopalvelut Pohjola Oy"
    assert load_settings()["dpo_contact"] == "Tietosuojavastaava Aino Ö."
    event = AuditEvent.select().where(AuditEvent.action == "settings.changed").get()
    assert "processor_name" in event.details and "MFA" not in event.details
    assert "Settings saved." in client.get("/admin/settings").get_data(as_text=True)
    response = client.get("/reports/download", query_string={"kind": "processing-record"})
    text = normalised(read_pdf(response.data)[1])
    assert "Name Verkkopalvelut Pohjola Oy" in text and "MFA everywhere." in text


def test_settings_are_validated_and_need_csrf(app, client):
    client = signed_in(client, "admin")
    page = client.get("/admin/settings")
    response = client.post("/admin/settings", data={
        "csrf_token": csrf_token(page.get_data(as_text=True)), "processor_name": "x" * 201})
    assert response.status_code == 400
    assert "Keep it under 200 characters." in response.get_data(as_text=True)
    assert client.post("/admin/settings", data={"processor_name": "y"}).status_code == 400
    assert Setting.select().count() == 0


@pytest.mark.parametrize("role", ["legal", "auditor", "subcontractor"])
def test_only_admins_edit_settings(app, client, role):
    client = signed_in(client, role)
    assert client.get("/admin/settings").status_code == 403
    assert client.post("/admin/settings", data={"processor_name": "x"}).status_code in (400, 403)
    assert Setting.select().count() == 0
