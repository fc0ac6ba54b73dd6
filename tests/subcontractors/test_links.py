"""Findings about subcontractors, their evidence and engagements link to where they are fixed."""

from registry.checks import current_snapshot
from registry.findings_links import finding_url, subject_url
from tests.registry_factories import (
    make_attestation,
    make_controller,
    make_dpa,
    make_engagement,
    make_requirement,
    make_subcontractor,
)


def _finding(code_prefix):
    return next(finding for finding in current_snapshot().assessment.findings
                if finding.code.startswith(code_prefix))


def test_findings_link_to_the_section_that_fixes_them(app):
    make_requirement()
    missing = make_subcontractor(flow_down=False, country="US", processing_countries=["US"])
    pending = make_attestation(make_subcontractor(), review="pending")
    controller = make_controller()
    make_dpa(controller)
    engagement = make_engagement(make_subcontractor(), controller, on_list_at_signing=False)
    with app.test_request_context():
        assert finding_url(_finding("requirement_missing"), role="legal") == (
            f"/subcontractors/{missing.id}#requirements")
        assert finding_url(_finding("flow_down_missing"), role="legal") == (
            f"/subcontractors/{missing.id}#flow-down")
        assert finding_url(_finding("transfer_mechanism_missing"), role="legal") == (
            f"/subcontractors/{missing.id}/edit")
        assert finding_url(_finding("transfer_mechanism_missing"), role="auditor") == (
            f"/subcontractors/{missing.id}")
        assert finding_url(_finding("attestation_awaiting_review"), role="legal") == (
            f"/review#attestation-{pending.id}")
        assert finding_url(_finding("engagement_unauthorised"), role="legal") == (
            f"/engagements/{engagement.id}")


def test_audited_objects_have_a_page(app):
    attestation = make_attestation()
    with app.test_request_context():
        assert subject_url("attestation", attestation.id, role="auditor") == (
            f"/subcontractors/attestations/{attestation.id}")
        assert subject_url("engagement", 5, role="legal") == "/engagements/5"
        assert subject_url("flow_down_agreement", 3, role="legal") == "/subcontractors/flow-down/3"
