"""A written approval needs its PDF, or a confirmation that it is on file and where it is."""

import json

import pytest

from registry.models import AuditEvent, Engagement
from tests.registry_factories import make_controller, make_dpa, make_engagement, make_subcontractor
from tests.subcontractors.helpers import form_post, signed_in, text, today


@pytest.fixture
def engagement(client):
    signed_in(client)
    controller = make_controller()
    make_dpa(controller, subprocessor_authorisation="specific")
    return make_engagement(make_subcontractor(), controller, on_list_at_signing=False,
                           notified_on=today(), notes="Needed for the new shop.")


def _approve(client, engagement, **data):
    url = f"/engagements/{engagement.id}"
    return form_post(client, f"{url}/approval", {"approved_on": today().isoformat(), **data},
                     page_url=url, content_type="multipart/form-data")


def _error(page, field):
    start = page.index(f'id="{field}-error"')
    return page[start:page.index("</p>", start)]


def test_untouched_form_records_nothing(client, engagement):
    response = _approve(client, engagement)
    assert response.status_code == 400
    assert "Attach the written approval as a PDF, or confirm" in _error(text(response), "on_file")
    assert Engagement.get_by_id(engagement.id).approved_on is None
    assert not AuditEvent.select().where(AuditEvent.action == "engagement.approved").exists()


def test_confirmation_needs_a_reference(client, engagement):
    response = _approve(client, engagement, on_file="y", reference="  ")
    assert response.status_code == 400
    assert "Say where the approval is" in _error(text(response), "reference")
    assert Engagement.get_by_id(engagement.id).approved_on is None


def test_approval_on_file_is_recorded_with_its_reference(client, engagement):
    reference = "E-mail from the DPO, 20 Nov 2026, ticket 4411"
    response = _approve(client, engagement, on_file="y", reference=reference)
    assert response.status_code == 302
    stored = Engagement.get_by_id(engagement.id)
    assert stored.approved_on == today() and stored.approval_document is None
    assert stored.notes == (f"Needed for the new shop.\nWritten approval of {today()}: "
                            f"{reference}")
    event = AuditEvent.get(AuditEvent.action == "engagement.approved")
    assert json.loads(event.details)["reference"] == reference
    page = text(client.get(f"/engagements/{engagement.id}"))
    assert "on file, no PDF" in page and reference in page and "Authorised" in page
