"""Attestation types: admins list, add and edit them; the code never changes."""

import pytest

from registry.models import AttestationType, AuditEvent
from tests.reference.helpers import audit_details, kind, seeded, signed_in, submit, text

NEW = "/admin/reference/attestation-types/new"
VALID = {"code": "isae3000_type2", "name": "ISAE 3000 Type II report",
         "description": "period_end: the end of the tested period.",
         "validity_basis": "period_end", "default_validity_months": "12",
         "bridge_letter_after_months": "3", "has_report_period": "y",
         "counts_for_requirements": "y", "uploadable": "y"}


def edit_url(code):
    return f"/admin/reference/attestation-types/{kind(code).id}/edit"


@pytest.mark.parametrize("role", ["admin", "legal", "auditor"])
def test_staff_read_the_types_with_their_validity(app, client, role):
    seeded()
    signed_in(client, role)
    page = text(client.get("/reference/attestation-types"))
    assert "SOC 2 Type II report" in page and "soc2_type2" in page
    assert "12 months from the period end" in page
    assert "Bridge letter from 3 months after the period end" in page
    assert "Information only" in page  # SOC 2 Type I
    assert ("Add a type" in page) is (role == "admin")
    assert (edit_url("iso27001") in page) is (role == "admin")


def test_no_types_shows_an_empty_state(app, client):
    signed_in(client, "admin")
    page = text(client.get("/reference/attestation-types"))
    assert "No attestation types yet." in page and 'href="/admin/reference/attestation' in page


def test_admin_adds_a_type_and_the_audit_trail_records_it(app, client):
    signed_in(client, "admin")
    response = submit(client, NEW, VALID)
    assert response.status_code == 302
    follow = text(client.get(response.headers["Location"]))
    assert "ISAE 3000 Type II report (isae3000_type2) was added." in follow
    added = kind("isae3000_type2")
    assert (added.validity_basis, added.default_validity_months,
            added.bridge_letter_after_months) == ("period_end", 12, 3)
    assert added.has_report_period and not added.has_stated_expiry and added.uploadable
    details = audit_details("attestation_type.created")
    assert details["before"] == {} and details["after"]["code"] == "isae3000_type2"


@pytest.mark.parametrize(("change", "field", "message"), [
    ({"code": "ISO 9001"}, "code", "lowercase letters, digits and single underscores"),
    ({"code": "iso27001"}, "code", "The code iso27001 is taken"),
    ({"name": ""}, "name", "Enter the name people see"),
    ({"default_validity_months": "0"}, "default_validity_months", "from 1 to 120"),
    ({"default_validity_months": "121"}, "default_validity_months", "from 1 to 120"),
    ({"default_validity_months": "twelve"}, "default_validity_months",
     "Enter a whole number of months"),
    ({"bridge_letter_after_months": "12"}, "bridge_letter_after_months",
     "Must be less than the default validity (12 months)"),
    ({"default_validity_months": ""}, "default_validity_months", "otherwise it would count"),
    ({"has_report_period": ""}, "has_report_period", "A bridge letter follows a report period"),
])
def test_invalid_values_are_explained_next_to_the_field(app, client, change, field, message):
    seeded()
    signed_in(client, "admin")
    response = submit(client, NEW, {**VALID, **change})
    page = text(response)
    assert response.status_code == 400
    assert f'id="{field}-error"' in page
    error = page[page.index(f'id="{field}-error"'):]
    assert message in error[:400]
    assert AttestationType.get_or_none(AttestationType.code == "isae3000_type2") is None


def test_admin_edits_a_type_but_not_its_code(app, client):
    seeded()
    signed_in(client, "admin")
    url = edit_url("pentest_report")
    form = text(client.get(url))
    assert 'value="Penetration test report"' in form and 'name="code"' not in form
    response = submit(client, url, {"code": "hacked", "name": "Penetration test", "validity_basis":
                                    "issued_on", "default_validity_months": "24",
                                    "counts_for_requirements": "y"})
    assert response.status_code == 302
    changed = kind("pentest_report")
    assert (changed.name, changed.default_validity_months, changed.uploadable) == (
        "Penetration test", 24, False)
    assert AttestationType.get_or_none(AttestationType.code == "hacked") is None
    details = audit_details("attestation_type.updated")
    assert details["before"] == {"name": "Penetration test report",
                                 "default_validity_months": 12, "uploadable": True}
    assert details["after"] == {"name": "Penetration test", "default_validity_months": 24,
                                "uploadable": False}
    page = text(client.get("/reference/attestation-types"))
    assert "Penetration test was saved." in page
    row = page[page.index("<strong>Penetration test</strong>"):]
    assert "Closed to uploads" in row[:row.index("</tr>")]


def test_saving_unchanged_values_records_nothing(app, client):
    seeded()
    signed_in(client, "admin")
    url = edit_url("security_questionnaire")
    submit(client, url, {"name": "Security questionnaire", "validity_basis": "issued_on",
                         "default_validity_months": "12", "counts_for_requirements": "y",
                         "uploadable": "y",
                         "description": kind("security_questionnaire").description})
    page = text(client.get("/reference/attestation-types"))
    assert "Nothing changed." in page
    assert not AuditEvent.select().where(AuditEvent.action == "attestation_type.updated").exists()


def test_an_unknown_type_is_not_found(app, client):
    signed_in(client, "admin")
    assert client.get("/admin/reference/attestation-types/999/edit").status_code == 404
