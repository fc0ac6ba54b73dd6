"""The incident register (Art. 33(5)): its data, the PDF from the web and the CLI."""

import io
from datetime import UTC, date, datetime, timedelta

from pypdf import PdfReader

from registry.models import Incident, IncidentMessage, IncidentNotice
from registry.reports.data import build_report
from tests.incidents.factories import make_incident
from tests.incidents.helpers import signed_in
from tests.registry_factories import make_controller, make_dpa, make_subcontractor

AWARE = datetime(2026, 11, 24, 7, 0, tzinfo=UTC)


def _pdf_text(data):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _registry():
    aurora = make_dpa(make_controller(name="Aurora Kauppa Oy")).controller
    borealis = make_dpa(make_controller(name="Borealis Oy")).controller
    pilvi = make_subcontractor(name="Pilvi Oy", breach_notice_hours=24)
    both = make_incident([aurora, borealis], aware_at=AWARE, title="Order export misdirected",
                         reference="INC-2026-001")
    reported = make_incident([borealis], aware_at=AWARE + timedelta(hours=20),
                             title="Backup bucket public", reference="INC-2026-002",
                             detected_by="subcontractor", subcontractor=pilvi,
                             subcontractor_aware_at=datetime(2026, 11, 23, 7, 0))
    notice = IncidentNotice.get((IncidentNotice.incident == both)
                                & (IncidentNotice.controller == aurora))
    sent_at = datetime(2026, 11, 24, 9, 0)
    IncidentNotice.update(notified_at=sent_at, recipients=["dpo@aurora.example"]).where(
        IncidentNotice.id == notice.id).execute()
    IncidentMessage.create(notice=notice, kind="follow_up", text="131 customers",
                           recipients=["dpo@aurora.example"], sent_at=sent_at + timedelta(days=1))
    return aurora, borealis, both, reported


def test_the_register_documents_each_incident_and_notice(app, clock):
    _aurora, _borealis, _both, _reported = _registry()
    report = build_report("incident-register", date(2026, 11, 25), None,
                          generated_at=datetime(2026, 11, 25, 10, 30, tzinfo=UTC))
    assert report["judged_label"] == "2026-11-25 12:30 EET"
    first, second = report["entries"]
    assert first["reference"] == "INC-2026-001" and first["detected_by"] == "the processor"
    states = {notice["controller"]: notice["state"] for notice in first["notices"]}
    assert states == {"Aurora Kauppa Oy": "notified", "Borealis Oy": "overdue"}
    aurora_notice = first["notices"][0]
    assert aurora_notice["recipients"] == "dpo@aurora.example"
    assert [sent.isoformat() for sent in aurora_notice["follow_ups"]] == [
        "2026-11-25T11:00:00+02:00"]
    assert second["detected_by"] == "Pilvi Oy"
    assert second["report"] == {"hours": 44.0, "promise": 24, "late": True}
    assert report["counts"] == {"incidents": 2, "open": 2, "notices": 3, "overdue": 1,
                                "late": 0}


def test_a_register_of_an_earlier_day_leaves_out_what_came_later(app, clock):
    _registry()
    report = build_report("incident-register", date(2026, 11, 24), None,
                          generated_at=datetime(2026, 11, 25, 10, 30, tzinfo=UTC))
    assert [entry["reference"] for entry in report["entries"]] == ["INC-2026-001"]
    assert report["entries"][0]["notices"][0]["follow_ups"] == []


def test_one_controllers_register_shows_only_its_incidents_and_notices(app, client, clock):
    aurora, _borealis, _both, _reported = _registry()
    signed_in(client, role="auditor")
    response = client.get(f"/reports/download?kind=incident-register&controller_id={aurora.id}")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "incident-register-aurora-kauppa-oy-2026-11-25.pdf" in response.headers[
        "Content-Disposition"]
    text = _pdf_text(response.data)
    assert "INC-2026-001" in text and "Aurora Kauppa Oy" in text
    assert "INC-2026-002" not in text and "Borealis Oy" not in text


def test_the_register_page_links_to_its_pdf(app, client, clock):
    aurora, *_ = _registry()
    signed_in(client)
    page = client.get(f"/incidents?controller={aurora.id}").get_data(as_text=True)
    assert f"kind=incident-register&amp;controller_id={aurora.id}" in page


def test_the_cli_writes_the_whole_register(app, runner, clock, tmp_path):
    _registry()
    target = tmp_path / "register.pdf"
    result = runner.invoke(args=["report", "incident-register", "--today", "2026-11-25",
                                 "-o", str(target)])
    assert result.exit_code == 0, result.output
    text = _pdf_text(target.read_bytes())
    assert "Incident register" in text and "INC-2026-002" in text and "Pilvi Oy" in text
    assert Incident.select().count() == 2
