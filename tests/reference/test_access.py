"""Who may use the reference-data pages: staff read, only admins write, subcontractors nothing."""

import pytest

from registry.models import AdequacyDecision, AttestationType, AuditEvent, Requirement
from tests.auth_helpers import csrf_token
from tests.reference.helpers import group, kind, seeded, signed_in, text

READ_PAGES = ("/reference/attestation-types", "/reference/requirements",
              "/reference/adequacy-decisions")


def _write_requests():
    """Return (url, form) of every write, aimed at existing rows with valid values."""
    pentest = group("high_pentest").id
    return [
        ("/admin/reference/attestation-types/new",
         {"code": "new_type", "name": "New", "validity_basis": "issued_on",
          "default_validity_months": "12"}),
        (f"/admin/reference/attestation-types/{kind('iso27001').id}/edit",
         {"name": "Changed", "validity_basis": "issued_on", "default_validity_months": "12"}),
        ("/admin/reference/requirements/new",
         {"key": "new_group", "label": "New", "applies_to": "low",
          "type_ids": [kind("iso27001").id]}),
        (f"/admin/reference/requirements/{pentest}/edit",
         {"label": "Changed", "type_ids": [kind("iso27001").id]}),
        (f"/admin/reference/requirements/{pentest}/retire", {}),
        ("/admin/reference/adequacy-decisions/new",
         {"country_code": "BR", "decided_on": "2026-01-01"}),
        (f"/admin/reference/adequacy-decisions/{AdequacyDecision.get().id}/edit",
         {"decided_on": "2026-01-01", "valid_until": "2026-01-02"}),
    ]


def _snapshot():
    return (list(AttestationType.select().dicts()), list(Requirement.select().dicts()),
            list(AdequacyDecision.select().dicts()))


@pytest.mark.parametrize("role", ["legal", "auditor"])
def test_legal_staff_and_auditors_read_but_every_write_answers_403(app, client, role):
    seeded()
    signed_in(client, role)
    for url in READ_PAGES:
        assert client.get(url).status_code == 200, url
    token = csrf_token(text(client.get("/account")))
    before = _snapshot()
    for url, form in _write_requests():
        assert client.get(url).status_code in (403, 405), url
        assert client.post(url, data={**form, "csrf_token": token}).status_code == 403, url
    assert _snapshot() == before
    assert not AuditEvent.select().where(AuditEvent.object_type.in_(
        ["attestation_type", "requirement", "adequacy_decision"])).exists()


def test_subcontractor_users_are_refused_everywhere(app, client):
    seeded()
    signed_in(client, "subcontractor")
    for url in READ_PAGES:
        assert client.get(url).status_code == 403, url
    for url, _form in _write_requests():
        assert client.post(url, data={}).status_code == 403, url


def test_signed_out_visitors_are_sent_to_sign_in(app, client):
    seeded()
    for url in READ_PAGES:
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_navigation_offers_reference_data_to_staff_only(app, make_client):
    for role, shown in (("admin", True), ("legal", True), ("auditor", True),
                        ("subcontractor", False)):
        client = make_client()
        signed_in(client, role)
        landing = "/portal" if role == "subcontractor" else "/dashboard"
        page = text(client.get(landing))
        assert ('href="/reference/attestation-types"' in page) is shown, role


def test_a_write_without_the_csrf_token_is_refused(app, client):
    seeded()
    signed_in(client, "admin")
    response = client.post("/admin/reference/adequacy-decisions/new",
                           data={"country_code": "BR", "decided_on": "2026-01-01"})
    assert response.status_code == 400
    assert AdequacyDecision.get_or_none(AdequacyDecision.country_code == "BR") is None
