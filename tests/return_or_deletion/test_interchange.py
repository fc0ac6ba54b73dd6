"""The `return_or_deletion` section of `dpa-registry/1`: export, import, round trip, refusals."""

import json
from datetime import date

from registry.interchange.exporter import export_document
from registry.interchange.importer import import_document
from registry.models import ReturnOrDeletion
from tests.interchange.test_exporter import empty_registry, stored_pdf
from tests.registry_factories import make_controller, make_dpa, make_engagement, make_subcontractor

ENDED_ON = date(2026, 11, 10)


def _registry():
    """Aurora's contract ended; Pilvi held its data (certified, completed); an every-controller
    engagement of Varmuus was withdrawn (certificate received)."""
    aurora = make_controller(key="c-aurora", name="Aurora Kauppa Oy", business_id="0112038-9")
    make_dpa(aurora, status="terminated", terminated_on=ENDED_ON, return_or_deletion="deletion",
             return_or_deletion_days=45, document=None)
    make_dpa(make_controller(key="c-borealis", name="Borealis Oy", business_id="0112038-9"),
             document=None)
    pilvi = make_subcontractor(key="s-pilvi", name="Pilvi Oy", business_id="0112038-9",
                               flow_down_document=False)
    varmuus = make_subcontractor(key="s-varmuus", name="Varmuus Oy", business_id="0112038-9",
                                 flow_down_document=False)
    make_engagement(pilvi, aurora)
    everyone = make_engagement(varmuus, None, withdrawn_on=date(2026, 11, 1))
    ReturnOrDeletion.create(item_key=f"controller-{aurora.id}-subcontractor-{pilvi.id}",
                            controller=aurora, subcontractor=pilvi, trigger_on=ENDED_ON,
                            certificate=stored_pdf("pilvi-deleted"),
                            certificate_on=date(2026, 11, 20), completed_on=date(2026, 11, 18),
                            notes="Wiped and confirmed by their DPO")
    ReturnOrDeletion.create(item_key=f"engagement-{everyone.id}", subcontractor=varmuus,
                            engagement=everyone, trigger_on=date(2026, 11, 1),
                            certificate=stored_pdf("varmuus"), certificate_on=date(2026, 11, 5))


def test_the_export_names_each_item_by_its_keys(app, clock):
    _registry()
    records = export_document()["return_or_deletion"]
    assert [(r["end"], r["controller"], r["subcontractor"]) for r in records] == [
        ("contract", "c-aurora", "s-pilvi"), ("engagement", "*", "s-varmuus")]
    assert records[0]["completed_on"] == "2026-11-18" and records[0]["trigger_on"] == "2026-11-10"
    assert export_document()["dpas"][0]["return_or_deletion_days"] == 45


def test_export_import_export_is_identical_with_the_certificates(app, clock, tmp_path):
    _registry()
    first = export_document(documents_dir=tmp_path)
    empty_registry()
    report = import_document(json.loads(json.dumps(first)), documents=tmp_path)
    assert report.ok, report.errors
    assert report.totals()["return_or_deletion"]["created"] == 2
    assert export_document(documents_dir=tmp_path / "again") == first
    again = import_document(first, documents=tmp_path)
    assert not again.changed, again.changes


def _problems(records):
    report = import_document({"format": "dpa-registry/1", "return_or_deletion": records})
    return [str(problem) for problem in report.errors]


def test_the_rules_of_the_pages_refuse_bad_evidence(app, clock):
    make_controller(key="c-aurora")
    make_subcontractor(key="s-pilvi")
    base = {"end": "contract", "controller": "c-aurora", "subcontractor": None,
            "trigger_on": "2026-11-10"}
    assert _problems([
        {**base, "completed_on": "2026-11-26", "certificate_on": "2026-11-20"},
        {**base, "end": "engagement", "subcontractor": None, "controller": "*"},
        {**base, "subcontractor": "s-pilvi", "completed_on": "2026-11-12"},
        {**base, "controller": "*", "subcontractor": "s-nobody"},
    ]) == [
        "return_or_deletion[0].completed_on: The day cannot be in the future.",
        "return_or_deletion[0].certificate: A completed return or deletion needs its "
        "certificate: export with --with-documents and import the files as well.",
        "return_or_deletion[1].subcontractor: An engagement's end names its subcontractor.",
        "return_or_deletion[2].certificate_on: A completed return or deletion has its "
        "certificate's day.",
        "return_or_deletion[2].certificate: A completed return or deletion needs its "
        "certificate: export with --with-documents and import the files as well.",
        "return_or_deletion[3].controller: Only an engagement's end covers every controller (*).",
        "return_or_deletion[3].subcontractor: unknown subcontractor key 's-nobody'",
    ]
