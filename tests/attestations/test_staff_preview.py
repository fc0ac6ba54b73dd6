"""Legal staff's upload form previews the validity like the portal's, by the same rule."""

from datetime import timedelta

from registry.clock import local_today
from registry.compliance.dates import add_months
from tests.registry_factories import make_requirement, make_subcontractor
from tests.subcontractors.helpers import signed_in, text


def _preview(client, subcontractor, issued_on):
    url = (f"/subcontractors/{subcontractor.id}/attestations/validity"
           f"?type=security_questionnaire&issued_on={issued_on.isoformat()}")
    return client.get(url)


def test_staff_preview_colours_a_passed_end_red_and_a_later_one_green(client):
    signed_in(client)
    make_requirement()
    subcontractor = make_subcontractor()
    today = local_today()

    expired = _preview(client, subcontractor, add_months(today - timedelta(days=1), -12))
    valid = _preview(client, subcontractor, today - timedelta(days=10))

    assert expired.get_json()["state"] == "expired"
    assert "which has passed" in expired.get_json()["text"]
    assert valid.get_json()["state"] == "valid"


def test_the_staff_form_asks_for_the_preview(client):
    signed_in(client)
    make_requirement()
    subcontractor = make_subcontractor()
    page = text(client.get(f"/subcontractors/{subcontractor.id}/attestations/new"
                           "?type=security_questionnaire"))
    assert (f'data-validity-url="/subcontractors/{subcontractor.id}/attestations/validity'
            "?type=security_questionnaire") in page
    assert "data-validity-output" in page and "portal-upload.js" in page


def test_auditors_may_not_ask(client):
    signed_in(client, role="auditor")
    make_requirement()
    subcontractor = make_subcontractor()
    assert _preview(client, subcontractor, local_today()).status_code == 403
