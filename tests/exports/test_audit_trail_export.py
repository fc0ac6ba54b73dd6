"""The filtered audit trail as CSV and JSON: auditors and admins only, every event with its hash."""

import json

import pytest

from registry.audit_trail import export
from registry.models import AuditEvent
from tests.auth_helpers import login
from tests.exports.helpers import assert_every_field_quoted, csv_rows
from tests.exports.world import evidence_world
from tests.factories import make_user


@pytest.fixture
def auditor(app, client):
    """An auditor signed in on `client`, in a registry with reviewed evidence."""
    evidence_world()
    return login(client, make_user("auditor"))


def test_csv_holds_the_filtered_events_oldest_first_with_their_hashes(auditor):
    response = auditor.get("/audit/export.csv?action=attestation.accepted")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith('attachment; filename="audit-trail-')
    assert_every_field_quoted(response.data)
    header, *rows = csv_rows(response.data)
    assert header[:5] == ["Event", "Occurred at (UTC)", "Who", "From", "Action"]
    assert [row[4] for row in rows] == ["attestation.accepted"]
    event = AuditEvent.get(AuditEvent.action == "attestation.accepted")
    record = dict(zip(header, rows[0], strict=True))
    assert record["Hash"] == f"sha256:{event.hash}"
    assert record["Previous hash"] == f"sha256:{event.previous_hash}"
    assert record["Who"] == "reviewer@processor.example"
    assert record["Occurred at (UTC)"].endswith("Z")
    assert json.loads(record["Details (JSON)"])["attestation_type"] == "security_questionnaire"


def test_json_keeps_details_as_data_and_names_the_filters(auditor):
    response = auditor.get("/audit/export.json?object_type=attestation")
    assert response.status_code == 200 and response.mimetype == "application/json"
    document = response.json
    assert document["format"] == "dpa-registry-audit/1"
    assert document["filters"] == {"object_type": "attestation"}
    ids = [event["id"] for event in document["events"]]
    assert ids == sorted(ids) and ids
    assert all(event["object_type"] == "attestation" for event in document["events"])
    assert isinstance(document["events"][0]["details"], dict)


def test_the_export_is_itself_recorded(auditor):
    auditor.get("/audit/export.csv")
    event = AuditEvent.get(AuditEvent.action == "audit_trail.export")
    assert event.summary.startswith("Exported") and event.object_id == "csv"


def test_too_large_an_export_asks_for_a_narrower_range(auditor, monkeypatch):
    monkeypatch.setattr(export, "MAX_EVENTS", 0)
    response = auditor.get("/audit/export.json?actor=reviewer")
    assert response.status_code == 302 and "actor=reviewer" in response.headers["Location"]
    page = auditor.get(response.headers["Location"]).get_data(as_text=True)
    assert "Choose a shorter range of days" in page


def test_invalid_filters_are_explained_not_exported(auditor):
    response = auditor.get("/audit/export.csv?since=2026-05-02&until=2026-05-01")
    assert response.status_code == 302
    page = auditor.get(response.headers["Location"]).get_data(as_text=True)
    assert "The end date comes before the start date." in page


def test_the_audit_page_links_the_filtered_export(auditor):
    page = auditor.get("/audit?action=attestation.accepted").get_data(as_text=True)
    assert 'href="/audit/export.csv?action=attestation.accepted"' in page


@pytest.mark.parametrize(("role", "status"), [("admin", 200), ("auditor", 200), ("legal", 403),
                                              ("subcontractor", 403)])
def test_only_auditors_and_admins_export_the_trail(app, client, role, status):
    login(client, make_user(role))
    for url in ("/audit/export.csv", "/audit/export.json"):
        assert client.get(url).status_code == status, url
