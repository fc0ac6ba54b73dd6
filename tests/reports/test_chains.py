"""The sub-processor list shows the chain: sub-processors of sub-processors under the one that
engages them, with their locations and transfer safeguard (GDPR Art. 28(2), (4); EDPB
Guidelines 07/2020: the controller receives the full list)."""

from registry.reports.data.subprocessors import as_chains
from registry.reports.render import generate_report
from tests.registry_factories import make_attestation, make_engagement, make_subcontractor
from tests.reports.factories import (
    GENERATED_AT,
    TODAY,
    build_registry,
    normalised,
    on,
    read_pdf,
)


def _row(id_, name, parent_id=None):
    return {"id": id_, "name": name, "parent_id": parent_id}


def test_rows_follow_the_one_that_engages_them():
    rows = [_row(1, "Pilvi"), _row(2, "Backup", 1), _row(3, "Tape", 2), _row(4, "Mail"),
            _row(5, "Orphan", 99)]
    ordered = [(row["name"], row["level"]) for row in as_chains(rows)]
    assert ordered == [("Mail", 0), ("Orphan", 0), ("Pilvi", 0), ("Backup", 1), ("Tape", 2)]


def test_a_loop_in_the_rows_lists_each_row_once():
    ordered = as_chains([_row(1, "A", 2), _row(2, "B", 1)])
    assert sorted(row["name"] for row in ordered) == ["A", "B"]


def test_the_pdf_lists_the_second_tier_under_its_parent(app):
    registry = build_registry()
    backup = make_subcontractor(name="Varmuuskopio Cloud LLC", country="US",
                                processing_countries=["US"], transfer_mechanism="scc_2021_m3",
                                tia_on=on(-60), purpose="Off-site backups",
                                parent=registry.hosting)
    make_attestation(backup)
    make_engagement(backup, registry.aakerlund)
    # Engaged by the hosting company too, but not (yet) authorised by Åkerlund: not listed.
    make_subcontractor(name="Unlisted Tape Oy", parent=registry.hosting)

    report = generate_report("subprocessors", TODAY, registry.aakerlund.id,
                             generated_at=GENERATED_AT)
    _, text, _ = read_pdf(report.pdf)
    authorised = normalised(text).partition("Pending changes")[0]

    hosting = authorised.index(registry.hosting.name)
    child = authorised.index("↳ Varmuuskopio Cloud LLC")
    mailer = authorised.index(registry.mailer.name)
    assert hosting < child < mailer  # under its parent, not in alphabetical place
    row = authorised[child:mailer]
    assert "Engaged by Pilvipalvelu Hosting Oy" in row
    assert "US" in row and "SCC 2021, module 3 (processor to processor)" in row
    assert "Off-site backups" in row
    assert "Unlisted Tape Oy" not in text
