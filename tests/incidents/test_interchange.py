"""The `incidents` section of `dpa-registry/1`: export, import, round trip, refusals."""

import json
from datetime import UTC, datetime, timedelta

from registry.interchange.exporter import export_document
from registry.interchange.importer import import_document
from registry.interchange.sources import load_source
from registry.models import IncidentMessage, IncidentNotice
from tests.incidents.factories import make_incident
from tests.interchange.test_exporter import empty_registry
from tests.registry_factories import make_controller, make_dpa, make_subcontractor

AWARE = datetime(2026, 11, 24, 7, 0, 0, 123456, tzinfo=UTC)


def _registry():
    aurora = make_dpa(make_controller(key="c-aurora", name="Aurora Kauppa Oy",
                                      business_id="0112038-9")).controller
    borealis = make_dpa(make_controller(key="c-borealis", name="Borealis Oy",
                                        business_id="0112038-9"), breach_notice_hours=None
                        ).controller
    pilvi = make_subcontractor(key="s-pilvi", name="Pilvi Oy", business_id="0112038-9")
    first = make_incident([aurora, borealis], aware_at=AWARE, reference="INC-2026-001")
    make_incident([borealis], aware_at=AWARE + timedelta(hours=3), reference="INC-2026-002",
                  detected_by="subcontractor", subcontractor=pilvi,
                  subcontractor_aware_at=datetime(2026, 11, 24, 1, 30),
                  affected_scope="subcontractor", data_subject_count=None)
    notice = IncidentNotice.get((IncidentNotice.incident == first)
                                & (IncidentNotice.controller == aurora))
    sent = datetime(2026, 11, 24, 9, 15, 30, 987654)
    IncidentNotice.update(notified_at=sent, recipients=["dpo@aurora.example"]).where(
        IncidentNotice.id == notice.id).execute()
    IncidentMessage.create(notice=notice, recipients=["dpo@aurora.example"], sent_at=sent,
                           message_id="<incident-1-message-1@registry.example>")
    IncidentMessage.create(notice=notice, kind="follow_up", text="131 customers in the end.",
                           recipients=["dpo@aurora.example"], sent_at=sent + timedelta(days=1))
    IncidentMessage.create(notice=IncidentNotice.get(IncidentNotice.controller == borealis),
                           recipients=["privacy@borealis.example"], error="550 No such user")
    return first


def test_the_export_writes_incidents_with_offsets_and_their_notices(app, clock):
    _registry()
    [first, second] = export_document()["incidents"]
    assert first["reference"] == "INC-2026-001"
    assert first["aware_at"] == "2026-11-24T09:00:00.123456+02:00"
    assert [notice["controller"] for notice in first["notices"]] == ["c-aurora", "c-borealis"]
    aurora = first["notices"][0]
    assert aurora["due_at"] == "2026-11-25T09:00:00.123456+02:00"
    assert aurora["notified_at"] == "2026-11-24T11:15:30.987654+02:00"
    assert aurora["breach_notice_hours"] == 24
    assert [(m["controller"], m["kind"]) for m in first["messages"]] == [
        ("c-aurora", "initial"), ("c-aurora", "follow_up"), ("c-borealis", "initial")]
    assert first["messages"][2]["sent_at"] is None
    assert first["messages"][2]["error"] == "550 No such user"
    assert second["subcontractor"] == "s-pilvi" and second["detected_by"] == "subcontractor"
    assert second["subcontractor_aware_at"] == "2026-11-24T03:30:00+02:00"
    assert second["data_subject_count"] is None


def test_export_import_export_is_identical_with_incidents(app, clock):
    _registry()
    first = export_document()
    empty_registry()
    report = import_document(json.loads(json.dumps(first)))
    assert report.ok, report.errors
    assert report.totals()["incidents"]["created"] == 2
    assert report.totals()["incident_notices"]["created"] == 3
    assert report.totals()["incident_messages"]["created"] == 3
    assert export_document() == first
    again = import_document(first)
    assert not again.changed, again.changes


def test_an_import_updates_what_changed(app, clock):
    _registry()
    document = export_document()
    document["incidents"][0]["measures"] = "Exports need a second check."
    document["incidents"][0]["notices"][1]["notified_at"] = "2026-11-24T12:00:00+02:00"
    report = import_document(document)
    assert report.ok, report.errors
    assert report.totals()["incidents"] == {"created": 0, "updated": 1, "unchanged": 1}
    assert report.totals()["incident_notices"]["updated"] == 1
    notice = IncidentNotice.get(IncidentNotice.notified_at == datetime(2026, 11, 24, 10, 0))
    assert notice.controller.key == "c-borealis"


def _problems(document):
    report = import_document({"format": "dpa-registry/1", **document})
    return [str(problem) for problem in report.errors]


def _incident(**overrides):
    record = {"reference": "INC-1", "title": "Leak", "aware_at": "2026-11-24T09:00:00+02:00",
              "nature": "A leak", "contact_point": "dpo@processor.example",
              "notices": [{"controller": "c-aurora", "due_at": "2026-11-25T09:00:00+02:00"}]}
    record.update(overrides)
    return record


def test_the_same_rules_as_the_forms_refuse_bad_incidents(app, clock):
    make_controller(key="c-aurora")
    problems = _problems({"incidents": [
        _incident(aware_at="2026-11-24 09:00"),
        _incident(reference="INC-2", aware_at="2026-11-26T09:00:00+02:00", notices=[]),
        _incident(reference="INC-3", detected_by="subcontractor"),
        _incident(reference="INC-4", notices=[
            {"controller": "c-nobody", "due_at": "2026-11-25T09:00:00+02:00"}]),
        _incident(reference="INC-5", closed_at="2026-11-25T09:00:00+02:00",
                  messages=[{"controller": "c-other"}]),
        _incident(reference="INC-1", data_subject_count=-3),
    ]})
    assert problems == [
        "incidents[0].aware_at: bad date and time '2026-11-24 09:00': expected "
        "YYYY-MM-DDTHH:MM:SS+HH:MM (ISO 8601 with its UTC offset)",
        "incidents[1].aware_at: The time you became aware cannot be in the future.",
        "incidents[2].subcontractor_aware_at: Enter when the subcontractor became aware of it "
        "(its report says so).",
        "incidents[2].subcontractor: Choose the subcontractor.",
        "incidents[3].notices[0].controller: unknown controller key 'c-nobody'",
        "incidents[4].notices[0].notified_at: An incident is closed only once every affected "
        "controller has its notice.",
        "incidents[4].messages[0].controller: no notice to controller 'c-other' in this "
        "incident",
        "incidents[4].messages[0].controller: unknown controller key 'c-other'",
        "incidents[5].data_subject_count: Enter an approximate number, 0 or more; leave it "
        "empty while it is not known.",
        "incidents[5]: duplicate reference (INC-1), first at incidents[0]",
    ]


def test_incidents_are_json_only(app, tmp_path):
    (tmp_path / "incidents.csv").write_text("reference,title\nINC-1,Leak\n")
    source = load_source(tmp_path)
    assert any("unknown file: expected one of controllers" in str(problem)
               for problem in source.problems)
