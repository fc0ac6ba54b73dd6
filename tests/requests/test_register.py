"""The request register: its data, the PDF from the web and the CLI."""

import io
from datetime import UTC, date, datetime, timedelta

from pypdf import PdfReader

from registry.reports.data import build_report
from tests.incidents.helpers import signed_in
from tests.registry_factories import make_controller, make_dpa
from tests.requests.factories import make_assistance_request, make_subject_request

RECEIVED = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)  # Friday 10:00 in Helsinki; due Tuesday
NOW = datetime(2026, 11, 25, 10, 30, tzinfo=UTC)


def _pdf_text(data):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _registry():
    aurora = make_dpa(make_controller(name="Aurora Kauppa Oy")).controller
    borealis = make_dpa(make_controller(name="Borealis Oy")).controller
    make_subject_request(aurora, received_at=RECEIVED, reference="DSR-2026-001",
                         forwarded_at=datetime(2026, 11, 20, 9, 0),
                         forwarded_to=["dpo@aurora.example"], instruction="Export the data")
    make_subject_request(None, received_at=RECEIVED, reference="DSR-2026-002")
    make_subject_request(borealis, received_at=RECEIVED + timedelta(days=4),
                         reference="DSR-2026-003")
    make_assistance_request(aurora, reference="AR-2026-001", answered_on=date(2026, 11, 24),
                            answer="Sent the Art. 32 description")
    make_assistance_request(borealis, reference="AR-2026-002", due_on=date(2026, 11, 24))
    return aurora, borealis


def test_the_register_documents_each_request(app, clock):
    _registry()
    report = build_report("request-register", date(2026, 11, 25), None, generated_at=NOW)
    states = {entry["reference"]: entry["state"] for entry in report["subject_requests"]}
    assert states == {"DSR-2026-001": "forwarded", "DSR-2026-002": "overdue",
                      "DSR-2026-003": "due"}
    first = report["subject_requests"][0]
    assert first["forwarded_to"] == "dpo@aurora.example" and first["instruction"]
    assert report["subject_requests"][1]["controller"] == "Not identified yet"
    answers = {entry["reference"]: entry["state"] for entry in report["assistance_requests"]}
    assert answers == {"AR-2026-001": "answered", "AR-2026-002": "overdue"}
    assert report["counts"] == {"subject": 3, "assistance": 2, "overdue": 2}


def test_an_earlier_day_leaves_out_what_came_later(app, clock):
    _registry()
    report = build_report("request-register", date(2026, 11, 20), None, generated_at=NOW)
    assert [e["reference"] for e in report["subject_requests"]] == ["DSR-2026-001",
                                                                   "DSR-2026-002"]
    assert report["subject_requests"][0]["state"] == "forwarded"


def test_one_controllers_register_is_a_pdf_with_only_its_requests(app, client, clock):
    aurora, _borealis = _registry()
    signed_in(client, role="auditor")
    response = client.get(f"/reports/download?kind=request-register&controller_id={aurora.id}")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = _pdf_text(response.data)
    assert "Request register" in text and "DSR-2026-001" in text and "AR-2026-001" in text
    assert "DSR-2026-002" not in text and "Borealis Oy" not in text


def test_the_cli_writes_the_whole_register(app, runner, clock, tmp_path):
    _registry()
    target = tmp_path / "requests.pdf"
    result = runner.invoke(args=["report", "request-register", "--today", "2026-11-25",
                                 "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert "DSR-2026-003" in _pdf_text(target.read_bytes())


def test_the_lists_link_to_the_register(app, client, clock):
    aurora, _ = _registry()
    signed_in(client)
    page = client.get(f"/requests/assistance?controller={aurora.id}").get_data(as_text=True)
    assert f"kind=request-register&amp;controller_id={aurora.id}" in page
    assert "kind=request-register" in client.get("/requests").get_data(as_text=True)
