"""What the company's people see: each requirement's state, the next action, history, roles."""

from datetime import timedelta

import pytest

from registry.clock import local_today
from tests.auth_helpers import login
from tests.factories import make_user
from tests.portal.factories import make_tenant, make_upload, make_world


@pytest.fixture
def alpha(app, client):
    """A medium-tier company with nothing uploaded, signed in."""
    make_world()
    tenant = make_tenant("Charlie", tier="medium")
    login(client, tenant.user)
    return tenant


def until(days):
    """Return the registry's today plus `days`."""
    return local_today() + timedelta(days=days)


def portal(client):
    """Return the portal's first page as text."""
    response = client.get("/portal/")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_missing_requirement_is_the_next_action(alpha, client):
    page = portal(client)
    assert "1 thing needs your attention" in page
    assert "Missing" in page
    assert "/portal/attestations/new?requirement=medium_security_certification" in page
    assert "Nothing uploaded yet" in page


def test_an_expiring_certificate_asks_for_its_renewal(alpha, client):
    make_upload(alpha.subcontractor, review="accepted", valid_until=until(20))
    page = portal(client)
    assert "Expires in 20 days" in page and "Upload renewal" in page
    # A renewal due soon is amber, like its badge; red is kept for what is missing or lapsed.
    assert "portal-hero--amber" in page and "portal-hero--red" not in page


def test_a_missing_requirement_makes_the_summary_red(alpha, client):
    assert "portal-hero--red" in portal(client)


def test_an_expired_certificate_is_red(alpha, client):
    make_upload(alpha.subcontractor, review="accepted", issued_on=until(-800),
                valid_until=until(-3))
    page = portal(client)
    assert "Expired" in page and "The last one counted until" in page


def test_a_current_certificate_means_everything_is_in_order(alpha, client):
    make_upload(alpha.subcontractor, review="accepted", valid_until=until(400))
    page = portal(client)
    assert "Everything is in order" in page and "In order" in page
    assert "Upload renewal" not in page and "things need" not in page


def test_a_pending_upload_shows_awaiting_review_without_an_upload_button(alpha, client):
    make_upload(alpha.subcontractor, review="pending")
    page = portal(client)
    assert "we are reviewing your upload" in page
    assert "Awaiting review" in page
    assert "requirement=medium_security_certification" not in page


def test_a_rejected_upload_shows_the_reason_escaped(alpha, client):
    make_upload(alpha.subcontractor, review="rejected",
                rejection_reason="<b>Wrong</b> company on the certificate")
    page = portal(client)
    assert "Your last upload was not accepted" in page
    assert "&lt;b&gt;Wrong&lt;/b&gt; company on the certificate" in page
    assert "Upload again" in page


def test_a_high_tier_company_sees_both_of_its_requirements(app, client):
    make_world()
    tenant = make_tenant("Delta", tier="high")
    login(client, tenant.user)
    page = portal(client)
    assert "Security certification or Type II report" in page
    assert "Penetration test report" in page
    assert "2 things need your attention" in page


def test_history_is_paginated_and_links_to_each_upload(alpha, client):
    uploads = [make_upload(alpha.subcontractor, review="pending", issuer=f"Issuer {n}")
               for n in range(23)]
    first_page = client.get("/portal/attestations").get_data(as_text=True)
    assert "Page 1 of 2" in first_page
    assert f"/portal/attestations/{uploads[-1].id}" in first_page
    second_page = client.get("/portal/attestations?page=2").get_data(as_text=True)
    assert f"/portal/attestations/{uploads[0].id}" in second_page
    detail = client.get(f"/portal/attestations/{uploads[0].id}").get_data(as_text=True)
    assert "Issuer 0" in detail and "Download certificate.pdf" in detail


def test_an_empty_history_says_so(alpha, client):
    page = client.get("/portal/attestations").get_data(as_text=True)
    assert "Nothing uploaded yet" in page


def test_the_own_document_downloads_as_a_pdf_attachment(alpha, client):
    attestation = make_upload(alpha.subcontractor)
    response = client.get(f"/portal/attestations/{attestation.id}/document")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.get_data().startswith(b"%PDF-")


@pytest.mark.parametrize("role", ["legal", "admin", "auditor"])
def test_staff_roles_cannot_use_the_portal(app, client, role):
    make_world()
    login(client, make_user(role))
    for url in ("/portal/", "/portal/attestations", "/portal/contacts",
                "/portal/attestations/new?type=iso27001"):
        assert client.get(url).status_code == 403, url


def test_signed_out_visitors_are_sent_to_sign_in(app, client):
    response = client.get("/portal/attestations")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_an_offboarded_company_loses_its_portal_at_once(alpha, client):
    alpha.subcontractor.status = "offboarded"
    alpha.subcontractor.save()
    for url in ("/portal/", "/portal/attestations", "/portal/contacts"):
        assert client.get(url).status_code in {302, 403}, url


def test_the_type_chooser_names_the_requirement_only_when_it_says_something_new(app, client):
    make_world()
    low, medium = make_tenant("Delta", tier="low"), make_tenant("Echo", tier="medium")
    login(client, low.user)
    chooser = client.get("/portal/attestations/new").get_data(as_text=True)
    assert "type=security_questionnaire" in chooser and "Meets:" not in chooser
    other = app.test_client()
    login(other, medium.user)
    chooser = other.get("/portal/attestations/new").get_data(as_text=True)
    assert "Meets: Security certification or Type II report" in chooser
