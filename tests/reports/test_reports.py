"""Each report built from a known registry, typeset, and read back with pypdf."""

import pytest

from registry.checks import UnknownController
from registry.reports.data import build_report
from registry.reports.render import generate_report
from tests.registry_factories import make_controller, make_dpa
from tests.reports.factories import (
    GENERATED_AT,
    TODAY,
    CanaryServer,
    assert_page_numbers,
    build_registry,
    embedded_files,
    make_settings,
    normalised,
    read_pdf,
)


def typeset(kind, controller=None):
    report = generate_report(kind, TODAY, controller.id if controller else None,
                             generated_at=GENERATED_AT)
    reader, text, pages = read_pdf(report.pdf)
    assert_page_numbers(pages)
    assert "Generated 2026-11-25 12:30 EET" in text and "by dpa-registry" in text
    return report, reader, normalised(text)


def test_compliance_report_for_the_whole_registry(app):
    registry = build_registry()
    report, reader, text = typeset("compliance")
    assert report.filename == "compliance-report-all-2026-11-25.pdf"
    assert len(reader.pages) == 5  # cover + findings, checklists, subcontractors, engagements
    assert reader.metadata.title == "Compliance report · Whole registry"
    assert reader.metadata.author == "Verkkopalvelut Pohjola Oy"
    for name in (registry.aakerlund.name, registry.hameen.name, registry.hosting.name,
                 registry.mailer.name, registry.analytics.name):
        assert name in text
    assert "Scope Whole registry" in text and "As of 2026-11-25" in text
    assert "Overall status: RED" in text
    # Findings with subject and due date.
    assert "DPA v1 with Åkerlund & Söner Ab expires on 2026-12-25" in text
    assert "DPA v1 with Hämeen Urheiluseura ry lacks clause (g)" in text
    assert "Transatlantic Mail Inc. has no accepted attestation" in text
    assert "Objection period for Pending Analytics GmbH for Åkerlund & Söner Ab runs until " \
           "2026-12-20" in text
    # Checklists, evidence and authorisation dates.
    assert "7/8, missing (g)" in text and "8/8 complete" in text
    assert "Security Questionnaire (Kiwa Inspecta, SQ-2026)" in text
    assert "2026-08-17, written approval" in text
    assert "objections until 2026-12-20" in text


def test_compliance_report_for_one_controller(app):
    registry = build_registry()
    report, reader, text = typeset("compliance", registry.hameen)
    assert report.filename == "compliance-report-hameen-urheiluseura-ry-2026-11-25.pdf"
    assert "Scope Controller: Hämeen Urheiluseura ry" in text
    assert registry.hosting.name in text  # scope-all engagement reaches every controller
    assert registry.aakerlund.name not in text
    assert registry.mailer.name not in text
    assert len(reader.pages) == 4  # one table holds subcontractors and their engagements
    assert "AUTHORISED (all controllers) 2026-05-09, listed in the DPA at signing" in text
    assert "Engagements and authorisation" not in text


def test_one_controller_report_shows_each_engagement_with_its_subcontractor(app):
    registry = build_registry()
    _, _, text = typeset("compliance", registry.aakerlund)
    section = text.partition("3. Subcontractors: authorisation, requirements and evidence")[2]
    assert "Transatlantic Mail Inc. active, low risk · Transactional e-mail AUTHORISED " \
           "2026-08-17, written approval" in section
    assert "Pending Analytics GmbH proposed, low risk · Web analytics NOTIFIED objections until " \
           "2026-12-20" in section
    assert "low questionnaire: missing" in section


def test_subprocessor_list_for_a_controller(app):
    registry = build_registry()
    report, reader, text = typeset("subprocessors", registry.aakerlund)
    assert len(reader.pages) == 1
    assert report.filename == "sub-processors-akerlund-soner-ab-2026-11-25.pdf"
    assert "Sub-processors processing personal data of Åkerlund & Söner Ab" in text
    authorised, _, pending = text.partition("Pending changes")
    assert registry.hosting.name in authorised and registry.mailer.name in authorised
    assert "Transactional e-mail" in authorised and "EU-US Data Privacy Framework" in authorised
    assert "2026-08-17 written approval" in authorised
    assert registry.analytics.name in pending and registry.analytics.name not in authorised
    assert "2026-11-20" in pending and "You may object until 2026-12-20." in pending
    assert "Tietosuoja, Mannerheimintie 1" in text


def test_processing_record_lists_controllers_transfers_and_measures(app):
    registry = build_registry()
    _, reader, text = typeset("processing-record")
    assert len(reader.pages) == 1
    assert "Record of processing activities as processor" in text
    assert "Name Verkkopalvelut Pohjola Oy" in text
    assert registry.aakerlund.name in text and registry.hameen.name in text
    assert "Vanha Asiakas Oy" not in text  # ended: no processing on its behalf
    assert "Running the web shop" in text and "Name, address, orders" in text
    transfers = text.partition("3. Transfers to third countries")[2]
    assert "Transatlantic Mail Inc. Transactional e-mail US EU-US Data Privacy Framework" \
           in transfers
    assert registry.hosting.name not in transfers.partition("4. Technical")[0]
    assert "Single sign-on with MFA for all staff. Encrypted backups" in text


def test_processing_record_without_settings_says_what_is_missing(app):
    make_dpa(make_controller(name="Lumi Design Oy"))
    _, _, text = typeset("processing-record")
    assert "No description of the security measures has been entered" in text
    assert "Name dpa-registry" in text
    assert "No personal data is transferred outside the EEA." in text


def test_dpa_register_lists_every_dpa(app):
    registry = build_registry()
    make_dpa(registry.aakerlund, title="DPA Åkerlund", version=2, status="draft",
             signed_on=None, effective_from=None)
    _, reader, text = typeset("dpa-register")
    assert len(reader.pages) == 1
    assert reader.pages[0].mediabox.width > reader.pages[0].mediabox.height  # landscape
    assert "3 controllers, 3 DPA versions; 0 active without a signed DPA in force" in text
    assert "Åkerlund & Söner Ab 556677-8899 DPA Åkerlund, v2, draft — open-ended general, 30 d " \
           "8/8 complete AMBER DPA Åkerlund, v1, signed (current) 2025-10-21 2026-12-25 " \
           "general, 30 d 8/8 complete" in text
    assert "DPA Häme, v1, signed (current) 2026-05-09 open-ended specific " \
           "7/8, missing (g) RED" in text
    assert "Vanha Asiakas Oy (ended)" in text and "No DPA recorded" in text


def test_long_registers_repeat_their_header_on_every_page(app):
    make_settings()
    for number in range(90):
        make_dpa(make_controller(name=f"Asiakas {number:03d} Oy"))
    _, reader, text = typeset("dpa-register")
    assert len(reader.pages) >= 3
    for page in reader.pages[1:]:
        assert "Controller Business ID DPA, version, status Signed Expires" in normalised(
            page.extract_text())
    assert "Asiakas 000 Oy" in text and "Asiakas 089 Oy" in text


@pytest.mark.parametrize("kind", ["compliance", "subprocessors", "processing-record",
                                  "dpa-register"])
def test_hostile_controller_names_are_text_not_markup(app, kind):
    with CanaryServer() as canary:
        attachment = make_controller(name="<link rel=attachment href=file:///etc/passwd>")
        image = make_controller(name=f"<img src=http://127.0.0.1:{canary.port}/>")
        make_dpa(attachment)
        make_dpa(image)
        report = generate_report(kind, TODAY, attachment.id, generated_at=GENERATED_AT)
        image_report = generate_report(kind, TODAY, image.id, generated_at=GENERATED_AT)
    for pdf in (report.pdf, image_report.pdf):
        reader, _, _ = read_pdf(pdf)
        assert embedded_files(reader) is None
    assert canary.requests == []
    assert "<link rel=attachment href=file:///etc/passwd>" in read_pdf(report.pdf)[1]
    assert f"<img src=http://127.0.0.1:{canary.port}/>" in read_pdf(image_report.pdf)[1]


def test_unknown_controller_is_refused(app):
    with pytest.raises(UnknownController, match="no controller has id 999"):
        build_report("compliance", TODAY, 999, generated_at=GENERATED_AT)


def test_subprocessor_list_needs_a_controller(app):
    with pytest.raises(ValueError, match="made for one controller"):
        build_report("subprocessors", TODAY, generated_at=GENERATED_AT)
