"""Dates are typed and shown as ISO 8601 (YYYY-MM-DD) on every form and page."""

import re

import pytest

from tests.registry_factories import make_controller, make_dpa, make_engagement, make_subcontractor
from tests.subcontractors.helpers import signed_in, text

DATE_INPUT = re.compile(r'<input[^>]*name="(?:\w+_on|valid_until|period_\w+)"[^>]*>')
ISO_DAY = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
LOCALE_DAY = re.compile(r"\b\d{1,2}[./]\d{1,2}[./]\d{2,4}\b")


def _staff_form_urls():
    controller = make_controller()
    make_dpa(controller)
    subcontractor = make_subcontractor()
    engagement = make_engagement(subcontractor, controller, on_list_at_signing=False)
    return [f"/subcontractors/{subcontractor.id}/flow-down/new",
            f"/subcontractors/{subcontractor.id}/offboard",
            f"/engagements/new/{subcontractor.id}",
            f"/engagements/{engagement.id}",
            f"/controllers/{controller.id}"]


def _check_date_inputs(page, url):
    inputs = DATE_INPUT.findall(page)
    for tag in inputs:
        assert 'type="date"' not in tag, (url, tag)
        assert 'type="text"' in tag and 'inputmode="numeric"' in tag, (url, tag)
        assert 'pattern="[0-9]{4}-[0-9]{2}-[0-9]{2}"' in tag, (url, tag)
    return len(inputs)


def test_staff_date_inputs_are_iso_text_inputs_with_a_format_hint(client):
    signed_in(client)
    checked = 0
    for url in _staff_form_urls():
        response = client.get(url)
        if response.status_code != 200:
            continue
        page = text(response)
        checked += _check_date_inputs(page, url)
        assert 'type="date"' not in page, url
    assert checked >= 4
    assert "Format: YYYY-MM-DD" in text(client.get(_staff_form_urls()[0]))


def test_portal_upload_dates_are_iso_text_inputs(tenant_a):
    client, _first, _second = tenant_a
    page = text(client.get("/portal/attestations/new?type=iso27001"))
    assert _check_date_inputs(page, "upload") >= 2


@pytest.mark.parametrize("url", ["/dashboard", "/engagements", "/subcontractors", "/controllers"])
def test_pages_show_dates_in_iso_form_only(client, url):
    signed_in(client)
    _staff_form_urls()
    page = text(client.get(url))
    assert not LOCALE_DAY.search(page), LOCALE_DAY.search(page)
    if url == "/dashboard":
        assert ISO_DAY.search(page)


def test_a_date_typed_in_a_locale_form_is_refused_with_the_iso_hint(tenant_a):
    client, _first, _second = tenant_a
    from tests.forms.test_kept_upload import UPLOAD_URL, _pdf, _post
    from tests.portal.test_upload import iso

    response = _post(client, UPLOAD_URL, iso(issued_on="03/31/2026"), _pdf())
    page = text(response)
    assert response.status_code == 422
    error = page[page.index('id="issued_on-error"'):][:300]
    assert "2026-03-31" in error
