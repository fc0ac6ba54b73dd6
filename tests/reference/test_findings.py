"""A change to reference data changes the compliance findings at once, on every page.

Pages reuse a cached assessment while the registry's fingerprint is unchanged, so each test
first shows the dashboard (filling the cache), then changes reference data through the admin
pages, then expects the dashboard and the subcontractor's page to tell the new story.
"""

from datetime import timedelta

from registry.checks import current_assessment
from registry.clock import local_today
from tests.reference.helpers import decision, group, kind, seeded, signed_in, submit, text
from tests.registry_factories import (
    make_attestation,
    make_dpa,
    make_engagement,
    make_subcontractor,
)


def _supplier(**values):
    """Create a subcontractor that processes a controller's data under a signed DPA."""
    supplier = make_subcontractor(**values)
    make_engagement(subcontractor=supplier, controller=make_dpa().controller)
    return supplier


def _codes(subcontractor):
    return {finding.code for finding in current_assessment().findings
            if finding.subcontractor_id == subcontractor.id}


def _dashboard(client):
    return text(client.get("/dashboard"))


def test_a_changed_requirement_turns_a_subcontractor_red_at_once(app, client):
    seeded()
    supplier = _supplier(name="Kuljetus Oy", risk_tier="low")
    make_attestation(subcontractor=supplier, type_code="security_questionnaire")
    signed_in(client, "admin")
    assert "Kuljetus Oy has no accepted attestation" not in _dashboard(client)
    url = f"/admin/reference/requirements/{group('low_questionnaire').id}/edit"
    response = submit(client, url, {"label": "Penetration test",
                                    "type_ids": [kind("pentest_report").id]})
    assert response.status_code == 302
    assert "Kuljetus Oy has no accepted attestation for Penetration test" in _dashboard(client)
    assert "requirement_missing:low_questionnaire" in _codes(supplier)


def test_changing_only_the_acceptable_types_is_seen_at_once(app, client):
    seeded()
    supplier = _supplier(name="Varasto Oy", risk_tier="low")
    make_attestation(subcontractor=supplier, type_code="security_questionnaire")
    signed_in(client, "admin")
    assert "Varasto Oy has no accepted attestation" not in _dashboard(client)
    url = f"/admin/reference/requirements/{group('low_questionnaire').id}/edit"
    submit(client, url, {"label": "Security questionnaire",
                         "type_ids": [kind("pentest_report").id]})
    assert "Varasto Oy has no accepted attestation for Security questionnaire" in _dashboard(
        client)


def test_retiring_a_group_clears_its_findings_at_once(app, client):
    seeded()
    supplier = _supplier(name="Tyhjä Oy", risk_tier="low")
    signed_in(client, "admin")
    assert "Tyhjä Oy has no accepted attestation for Security questionnaire" in _dashboard(client)
    requirement = group("low_questionnaire")
    submit(client, f"/admin/reference/requirements/{requirement.id}/retire", {},
           page_url=f"/admin/reference/requirements/{requirement.id}/edit")
    assert "Tyhjä Oy has no accepted attestation" not in _dashboard(client)
    assert not any(code.startswith("requirement_") for code in _codes(supplier))


def test_ending_the_uk_decision_turns_a_subcontractor_in_gb_red(app, client):
    seeded()
    supplier = _supplier(name="London Cloud Ltd", country="GB", risk_tier="medium",
                                  processing_countries=["GB"], transfer_mechanism="adequacy")
    make_attestation(subcontractor=supplier, type_code="iso27001",
                     valid_until=local_today() + timedelta(days=700))
    signed_in(client, "admin")
    page = text(client.get(f"/subcontractors/{supplier.id}"))
    assert "no adequacy decision in force for GB" not in page
    assert "transfer_mechanism_invalid" not in _codes(supplier)
    yesterday = local_today() - timedelta(days=1)
    submit(client, f"/admin/reference/adequacy-decisions/{decision('GB').id}/edit",
           {"decided_on": "2025-12-19", "valid_until": yesterday.isoformat()})
    assert "no adequacy decision in force for GB" in _dashboard(client)
    assert "no adequacy decision in force for GB" in text(
        client.get(f"/subcontractors/{supplier.id}"))
    assert "transfer_mechanism_invalid" in _codes(supplier)


def test_a_shorter_default_validity_expires_evidence_at_once(app, client):
    seeded()
    supplier = _supplier(name="Lyhyt Oy", risk_tier="low")
    make_attestation(subcontractor=supplier, type_code="security_questionnaire",
                     issued_on=local_today() - timedelta(days=60))
    signed_in(client, "admin")
    assert "Lyhyt Oy has no current attestation" not in _dashboard(client)
    questionnaire = kind("security_questionnaire")
    submit(client, f"/admin/reference/attestation-types/{questionnaire.id}/edit",
           {"name": questionnaire.name, "validity_basis": "issued_on",
            "default_validity_months": "1", "counts_for_requirements": "y", "uploadable": "y"})
    assert "Lyhyt Oy has no current attestation for Security questionnaire" in _dashboard(client)
    assert "requirement_expired:low_questionnaire" in _codes(supplier)
