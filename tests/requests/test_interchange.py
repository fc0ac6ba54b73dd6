"""The `subject_requests` and `assistance_requests` sections of `dpa-registry/1`: export with
offsets, the round trip, updates and the refusals the pages would make."""

import json
from datetime import UTC, date, datetime

from registry.interchange.exporter import export_document
from registry.interchange.importer import import_document
from registry.models import AssistanceRequest, Dpa, SubjectRequest
from tests.interchange.test_exporter import empty_registry
from tests.registry_factories import make_controller, make_dpa
from tests.requests.factories import make_assistance_request, make_subject_request

RECEIVED = datetime(2026, 11, 20, 13, 0, 0, 123456, tzinfo=UTC)  # a Friday, 15:00 in Helsinki


def _registry():
    aurora = make_dpa(make_controller(key="c-aurora", name="Aurora Kauppa Oy",
                                      business_id="0112038-9"), dsr_forward_days=4).controller
    make_subject_request(aurora, received_at=RECEIVED, days=4, reference="DSR-2026-001",
                         forwarded_at=datetime(2026, 11, 21, 8, 0, 0, 987654),
                         forwarded_to=["dpo@aurora.example"], instruction="Export the data",
                         assistance_tasks="Export sent 2026-11-23")
    make_subject_request(None, received_at=RECEIVED, days=2, reference="DSR-2026-002",
                         forward_days=None, request_type="objection", channel="phone")
    make_assistance_request(aurora, reference="AR-2026-001", answered_on=date(2026, 11, 24),
                            answer="Sent our Art. 32 description")


def test_the_export_writes_requests_with_offsets_and_controller_keys(app, clock):
    _registry()
    document = export_document()
    [forwarded, unknown] = document["subject_requests"]
    assert forwarded["received_at"] == "2026-11-20T15:00:00.123456+02:00"
    assert forwarded["due_at"] == "2026-11-26T15:00:00.123456+02:00"  # Fri + 4 working days
    assert forwarded["forwarded_at"] == "2026-11-21T10:00:00.987654+02:00"
    assert forwarded["controller"] == "c-aurora" and forwarded["forward_days"] == 4
    assert unknown["controller"] is None and unknown["forward_days"] is None
    [assistance] = document["assistance_requests"]
    assert assistance == {"reference": "AR-2026-001", "kind": "dpia", "controller": "c-aurora",
                          "received_on": "2026-11-20", "due_on": "2026-11-30",
                          "summary": "Describe the security of the loyalty programme.",
                          "answered_on": "2026-11-24", "answer": "Sent our Art. 32 description"}
    assert document["dpas"][0]["dsr_forward_days"] == 4


def test_export_import_export_is_identical_with_requests(app, clock):
    _registry()
    first = export_document()
    empty_registry()
    report = import_document(json.loads(json.dumps(first)))
    assert report.ok, report.errors
    assert report.totals()["subject_requests"]["created"] == 2
    assert report.totals()["assistance_requests"]["created"] == 1
    assert Dpa.get().dsr_forward_days == 4
    assert export_document() == first
    assert not import_document(first).changed


def test_an_import_updates_what_changed(app, clock):
    _registry()
    document = export_document()
    document["subject_requests"][1]["controller"] = "c-aurora"
    document["assistance_requests"][0]["answer"] = "Sent the description and the SOC 2 report"
    report = import_document(document)
    assert report.ok, report.errors
    assert report.totals()["subject_requests"] == {"created": 0, "updated": 1, "unchanged": 1}
    assert SubjectRequest.get(SubjectRequest.reference == "DSR-2026-002").controller.key == \
        "c-aurora"
    assert AssistanceRequest.get().answer.endswith("SOC 2 report")


def _problems(document):
    report = import_document({"format": "dpa-registry/1", **document})
    return [str(problem) for problem in report.errors]


def test_the_same_rules_as_the_pages_refuse_bad_requests(app, clock):
    make_controller(key="c-aurora")
    subject = {"reference": "DSR-1", "received_at": "2026-11-24T09:00:00+02:00",
               "channel": "email", "request_type": "access", "subject_reference": "Customer 1",
               "due_at": "2026-11-26T09:00:00+02:00"}
    assistance = {"reference": "AR-1", "kind": "audit", "controller": "c-aurora",
                  "received_on": "2026-11-20", "due_on": "2026-11-30", "summary": "Audit"}
    problems = _problems({
        "subject_requests": [
            {**subject, "received_at": "2026-11-26T09:00:00+02:00"},
            {**subject, "reference": "DSR-2", "forwarded_at": "2026-11-24T10:00:00+02:00"},
            {**subject, "reference": "DSR-3", "controller": "c-aurora",
             "closed_at": "2026-11-24T10:00:00+02:00", "request_type": "gossip"},
        ],
        "assistance_requests": [
            {**assistance, "due_on": "2026-11-19", "answered_on": "2026-11-26"},
            {**assistance, "controller": "c-nobody"},
        ],
    })
    assert problems == [
        "subject_requests[0].received_at: The time it arrived cannot be in the future.",
        "subject_requests[1].controller: A forwarded request names its controller.",
        "subject_requests[2].request_type: bad value 'gossip': must be one of access, "
        "rectification, erasure, restriction, portability, objection",
        "subject_requests[2].closed_at: A request is closed only once it was forwarded.",
        "assistance_requests[0].due_on: The due date cannot be before the day it was received.",
        "assistance_requests[0].answered_on: The answer date cannot be in the future.",
        "assistance_requests[1].controller: unknown controller key 'c-nobody'",
        "assistance_requests[1]: duplicate reference (AR-1), first at assistance_requests[0]",
    ]
