"""Importing documents: whole-or-nothing validation, upserts by key, version chains, audit."""

import pytest

from registry.interchange.importer import import_document
from registry.models import (
    Attestation,
    AuditEvent,
    Controller,
    Dpa,
    Engagement,
    FlowDownAgreement,
    Instruction,
    Subcontractor,
)
from tests.interchange.samples import sample_document

DATA_MODELS = (Controller, Subcontractor, Dpa, Instruction, Engagement, FlowDownAgreement)


def row_counts():
    """Return the number of rows of every imported table."""
    return {model.__name__: model.select().count() for model in DATA_MODELS}


def test_import_creates_every_record_and_one_audit_event(app):
    report = import_document(sample_document(), actor="test")

    assert report.ok, report.errors
    assert report.totals()["controllers"] == {"created": 2, "updated": 0, "unchanged": 0}
    assert report.totals()["flow_down_agreements"]["created"] == 2
    assert row_counts() == {"Controller": 2, "Subcontractor": 2, "Dpa": 3, "Instruction": 2,
                            "Engagement": 2, "FlowDownAgreement": 2}
    everyone = Engagement.get(Engagement.controller.is_null())
    assert everyone.subcontractor.key == "s-hosting"
    events = list(AuditEvent.select().where(AuditEvent.action == "registry.import"))
    assert len(events) == 1
    assert '"created": 2' in events[0].details


def test_reimporting_the_same_document_changes_nothing(app):
    import_document(sample_document())
    before = {model.__name__: list(model.select().dicts()) for model in DATA_MODELS}

    report = import_document(sample_document())

    assert report.ok
    assert not report.changed
    assert report.totals()["engagements"] == {"created": 0, "updated": 0, "unchanged": 2}
    after = {model.__name__: list(model.select().dicts()) for model in DATA_MODELS}
    assert after == before


def test_dry_run_reports_changes_but_writes_nothing(app):
    report = import_document(sample_document(), dry_run=True)

    assert report.ok and report.dry_run
    assert report.totals()["dpas"]["created"] == 3
    assert ("created", "c-aurora / 2", ()) in report.changes["dpas"]
    assert set(row_counts().values()) == {0}


def test_changed_fields_are_updated_in_place(app):
    import_document(sample_document())
    document = sample_document()
    document["controllers"][1]["status"] = "ended"
    document["controllers"][1]["ended_on"] = "2026-10-31"
    document["attestations"][1]["review"] = "accepted"
    document["instructions"][1]["acknowledged_on"] = "2025-04-03"

    report = import_document(document)

    assert report.totals()["controllers"] == {"created": 0, "updated": 1, "unchanged": 1}
    assert report.totals()["attestations"]["updated"] == 1
    assert Controller.get(key="c-gutschein").status == "ended"
    assert str(Instruction.get(version=2).acknowledged_on) == "2025-04-03"
    reviewed = Attestation.get(Attestation.issuer == "KPMG")
    assert reviewed.review == "accepted" and reviewed.reviewed_at is not None


def test_new_versions_are_appended_and_chained(app):
    import_document(sample_document())
    document = sample_document()
    document["dpas"].append({"controller": "c-aurora", "version": 3, "title": "DPA v3",
                             "status": "draft", "subprocessor_authorisation": "general"})
    document["instructions"].append({"controller": "c-aurora", "version": 3,
                                     "title": "Retention", "text": "Keep 12 months.",
                                     "received_on": "2026-11-01"})

    report = import_document(document)

    assert report.totals()["dpas"] == {"created": 1, "updated": 0, "unchanged": 3}
    aurora = Controller.get(key="c-aurora")
    versions = {dpa.version: dpa for dpa in aurora.dpas}
    assert versions[3].supersedes_id == versions[2].id
    assert versions[2].supersedes_id == versions[1].id
    assert versions[1].status == "superseded"  # as the document says, never by inference
    instructions = {item.version: item for item in Instruction.select()}
    assert instructions[3].supersedes_id == instructions[2].id
    assert instructions[1].dpa_id == versions[1].id


@pytest.mark.parametrize(
    ("section", "index", "change", "location", "reason"),
    [
        ("controllers", 0, {"business_id": "1572860-1"}, "controllers[0].business_id",
         "This is not a valid Y-tunnus: check digit should be 0."),
        ("dpas", 1, {"controller": "c-nobody"}, "dpas[1].controller",
         "unknown controller key 'c-nobody'"),
        ("dpas", 0, {"signed_on": "2023-02-30"}, "dpas[0].signed_on",
         "bad date '2023-02-30': expected YYYY-MM-DD"),
        ("dpas", 0, {"status": "valid"}, "dpas[0].status",
         "bad value 'valid': must be one of draft, signed, terminated, superseded"),
        ("dpas", 1, {"clauses": {"confidentiality": True, "audit": True}},
         "dpas[1].clauses.audit", "unknown clause key 'audit'"),
        ("attestations", 0, {"type": "iso9001"}, "attestations[0].type",
         "unknown attestation type 'iso9001'"),
        ("engagements", 1, {"subcontractor": "s-nobody"}, "engagements[1].subcontractor",
         "unknown subcontractor key 's-nobody'"),
        ("engagements", 1, {"subcontractor": "s-hosting", "controller": "*"}, "engagements[1]",
         "duplicate subcontractor and controller (s-hosting, *), first at engagements[0]"),
        ("subcontractors", 0, {"tier": "extreme"}, "subcontractors[0].tier",
         "bad value 'extreme': must be one of low, medium, high"),
        ("instructions", 0, {"received_on": None}, "instructions[0].received_on", "required"),
        ("instructions", 0, {"dpa_version": 7}, "instructions[0].dpa_version",
         "no DPA version 7 for controller 'c-aurora'"),
        ("controllers", 1, {"privacy_contacts": ["legal at example"]},
         "controllers[1].privacy_contacts", "bad e-mail address 'legal at example'"),
        ("dpas", 2, {"objection_period_days": "thirty"}, "dpas[2].objection_period_days",
         "bad number 'thirty': expected a whole number"),
        ("controllers", 0, {"colour": "red"}, "controllers[0].colour", "unknown field"),
    ],
)
def test_every_validation_error_is_reported_and_nothing_is_written(
    app, section, index, change, location, reason
):
    document = sample_document()
    document[section][index].update(change)

    report = import_document(document)

    assert not report.ok
    assert [(problem.location, problem.reason) for problem in report.errors] == [
        (location, reason)
    ]
    assert set(row_counts().values()) == {0}
    assert AuditEvent.select().count() == 0


def test_a_duplicate_key_is_reported_at_the_second_record(app):
    document = sample_document()
    document["controllers"].append(dict(document["controllers"][0], name="Aurora again"))

    report = import_document(document)

    assert [str(problem) for problem in report.errors] == [
        "controllers[2]: duplicate key (c-aurora), first at controllers[0]"
    ]
    assert Controller.select().count() == 0


def test_the_every_controller_mark_is_not_a_controller_key(app):
    document = sample_document()
    document["controllers"].append({"key": "*", "name": "Everyone Oy", "country": "SE"})

    report = import_document(document)

    assert [str(problem) for problem in report.errors] == [
        "controllers[2].key: '*' is reserved: in engagements it means every controller"
    ]


def test_all_problems_are_reported_together_in_document_order(app):
    document = sample_document()
    document["attestations"][1]["period_end"] = "2024-12-31"
    document["controllers"][0]["country"] = "Finland"
    document["format"] = "dpa-registry/0"

    report = import_document(document)

    assert [str(problem) for problem in report.errors] == [
        "format: must be 'dpa-registry/1', not 'dpa-registry/0'",
        "controllers[0].country: bad country code 'Finland': expected two letters such as FI",
        "attestations[1].period_end: The period cannot end before it starts.",
    ]


def test_a_signed_dpa_or_an_instruction_is_never_edited_in_place(app):
    import_document(sample_document())
    document = sample_document()
    document["dpas"][1]["breach_notice_hours"] = 72
    document["instructions"][0]["text"] = "Delete orders after 12 months."

    report = import_document(document)

    assert [problem.location for problem in report.errors] == ["dpas[1]", "instructions[0]"]
    assert "add a new version" in report.errors[0].reason
    assert Dpa.get(version=2).breach_notice_hours == 24
    assert Instruction.get(version=1).text == "Delete orders after 24 months."


def test_a_signed_dpas_clauses_and_description_are_never_edited_in_place(app):
    """A signed DPA's content is what was signed: `check --today D` may read it as it is now
    (docs/architecture.md, "Dated facts"), since no path rewrites it."""
    import_document(sample_document())
    document = sample_document()
    document["dpas"][0]["clauses"]["confidentiality"] = False
    document["dpas"][0]["description"]["subject_matter"] = ""

    report = import_document(document)

    assert [problem.location for problem in report.errors] == ["dpas[0]"]
    assert "add a new version" in report.errors[0].reason
    signed = Dpa.get(version=1)
    assert signed.clauses["confidentiality"] is True
    assert signed.subject_matter == "Web shop"


def test_a_draft_dpa_may_be_completed(app):
    import_document(sample_document())
    document = sample_document()
    document["dpas"][2].update(status="signed", signed_on="2026-11-20", title="AV-Vertrag 2026")

    report = import_document(document)

    assert report.ok
    assert Dpa.get(title="AV-Vertrag 2026").status == "signed"


def test_a_document_may_refer_to_rows_already_in_the_registry(app):
    import_document(sample_document())
    addition = {"format": "dpa-registry/1", "engagements": [
        {"subcontractor": "s-mailer", "controller": "c-gutschein", "proposed_on": "2026-11-01"},
    ]}

    report = import_document(addition)

    assert report.ok, report.errors
    assert Engagement.select().count() == 3
