"""Sub-processor chains in `dpa-registry/1`: a subcontractor's optional `parent` (the key of the
sub-processor that engages it), round-tripping exactly, refused like the form refuses it."""

from datetime import date, timedelta

import pytest

from registry import checks
from registry.clock import local_today
from registry.interchange.exporter import export_document
from registry.interchange.importer import import_document
from registry.interchange.schema import columns
from registry.models import Subcontractor, SubcontractorHistory
from tests.interchange.samples import sample_document
from tests.interchange.test_exporter import empty_registry

TODAY = date(2026, 11, 25)


def _sub_processor(key, parent, status="active", **fields):
    return {"key": key, "name": f"{key.title()} Oy", "country": "SE", "tier": "low",
            "status": status, "processing_countries": ["SE"], "parent": parent, **fields}


def chained_document():
    """Return the sample document with a second and a third tier under Pilvi Hosting."""
    document = sample_document()
    # Listed before their parents on purpose: the order of the file does not matter.
    document["subcontractors"][:0] = [
        _sub_processor("s-tape", "s-backup"),
        _sub_processor("s-backup", "s-hosting", processing_countries=["SE", "US"],
                       transfer_mechanism="scc_2021_m3", tia_on="2026-01-15"),
    ]
    return document


def _problems(report):
    return [str(problem) for problem in report.errors]


def test_parents_are_imported_by_key_whatever_the_order(app):
    report = import_document(chained_document(), today=TODAY)

    assert report.ok, report.errors
    parents = {row.key: row.parent.key if row.parent else None
               for row in Subcontractor.select()}
    assert parents == {"s-hosting": None, "s-mailer": None, "s-backup": "s-hosting",
                       "s-tape": "s-backup"}


def test_export_import_export_keeps_the_chain_exactly(app):
    import_document(chained_document(), today=TODAY)
    first = export_document()
    empty_registry()

    report = import_document(first, today=TODAY)

    assert report.ok, report.errors
    assert export_document() == first
    by_key = {record["key"]: record for record in first["subcontractors"]}
    assert by_key["s-backup"]["parent"] == "s-hosting"
    assert by_key["s-hosting"]["parent"] is None
    assert import_document(first, today=TODAY).changed is False


def test_spreadsheets_and_csv_carry_the_parent_column():
    assert "parent" in columns("subcontractors")


@pytest.mark.parametrize(("change", "problem"), [
    (lambda records: records[0].update(parent="s-nowhere"),
     "subcontractors[0].parent: unknown subcontractor key 's-nowhere'"),
    (lambda records: records[0].update(parent="s-tape"),
     "subcontractors[0].parent: A sub-processor cannot be engaged by itself."),
    (lambda records: records[1].update(parent="s-tape"),
     "subcontractors[0].parent: That would make a loop: s-tape → s-backup → s-tape (each "
     "engaged by the next); a chain of sub-processors cannot loop."),
])
def test_unknown_parents_and_loops_are_one_line_each(app, change, problem):
    document = chained_document()
    change(document["subcontractors"])

    report = import_document(document, today=TODAY)

    assert _problems(report) == [problem]
    assert Subcontractor.select().count() == 0


def test_a_loop_through_a_link_already_stored_is_refused(app):
    import_document(chained_document(), today=TODAY)
    closing = {"format": "dpa-registry/1", "subcontractors": [
        dict(chained_document()["subcontractors"][2], parent="s-tape")]}

    report = import_document(closing, today=TODAY)

    assert _problems(report) == [
        "subcontractors[0].parent: That would make a loop: s-hosting → s-tape → s-backup → "
        "s-hosting (each engaged by the next); a chain of sub-processors cannot loop."]
    assert Subcontractor.get(key="s-hosting").parent_id is None


def test_a_sub_processor_offboarded_earlier_takes_no_new_children(app):
    document = chained_document()
    document["subcontractors"].append(
        _sub_processor("s-old", None, status="offboarded", offboarded_on="2026-06-30"))
    import_document(document, today=TODAY)
    addition = {"format": "dpa-registry/1",
                "subcontractors": [_sub_processor("s-new", "s-old")]}

    report = import_document(addition, today=TODAY)

    assert _problems(report) == [
        "subcontractors[0].parent: s-old was offboarded: it can no longer engage "
        "sub-processors."]


def test_a_link_to_an_offboarded_parent_recorded_before_may_stay(app):
    # Offboarded after it engaged s-tape: an export of that registry imports back.
    document = chained_document()
    document["subcontractors"][1].update(status="offboarded", offboarded_on="2026-10-31")
    assert import_document(document, today=TODAY).ok
    first = export_document()

    again = import_document(first, today=TODAY)

    assert again.ok, again.errors
    assert again.changed is False
    empty_registry()
    assert import_document(first, today=TODAY).ok
    assert export_document() == first


def test_an_import_that_moves_a_sub_processor_keeps_its_old_parent(app, clock):
    import_document(chained_document(), today=local_today())
    moved = {"format": "dpa-registry/1",
             "subcontractors": [dict(chained_document()["subcontractors"][0], parent=None)]}

    report = import_document(moved)

    assert report.ok, report.errors
    assert Subcontractor.get(key="s-tape").parent_id is None
    kept = SubcontractorHistory.get()
    assert kept.parent_id == Subcontractor.get(key="s-backup").id
    assert kept.valid_until == local_today() - timedelta(days=1)


def test_an_imported_chain_is_judged_by_the_engine(app):
    # s-hosting processes every controller's data (scope *); s-backup has no engagement.
    import_document(chained_document(), today=TODAY)

    findings = checks.run_check(today=TODAY).findings

    unauthorised = sorted((finding.subcontractor_id, finding.controller_id)
                          for finding in findings
                          if finding.code == "engagement_chain_unauthorised")
    backup, tape = (Subcontractor.get(key=key).id for key in ("s-backup", "s-tape"))
    assert len(unauthorised) == 4  # two links, two active controllers
    assert {subcontractor for subcontractor, _ in unauthorised} == {backup, tape}
