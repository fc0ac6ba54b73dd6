"""Every page shows the engine's objection deadline, also when only the DPA knows it."""

import re
from datetime import timedelta

from tests.registry_factories import make_controller, make_dpa, make_engagement, make_subcontractor
from tests.subcontractors.helpers import signed_in, text, today


def _deadline_cell(page, label="Objection deadline"):
    """Return the text of the summary row `label` on an engagement page."""
    found = re.search(rf"<dt>{label}</dt><dd>(.*?)</dd>", page, re.S)
    assert found, label
    return found.group(1)


def _notified_without_stored_deadline(authorisation="general", **engagement):
    controller = make_controller(name="Aurora Kauppa Oy")
    make_dpa(controller, objection_period_days=30, subprocessor_authorisation=authorisation)
    return make_engagement(make_subcontractor(name="Fraud Shield SAS"), controller,
                           on_list_at_signing=False, proposed_on=today() - timedelta(days=12),
                           notified_on=today() - timedelta(days=10), **engagement)


def test_deadline_from_the_dpa_shows_on_every_page(client):
    signed_in(client)
    engagement = _notified_without_stored_deadline()
    deadline = (today() + timedelta(days=20)).isoformat()
    detail = text(client.get(f"/engagements/{engagement.id}"))
    assert f"may object until <time datetime=\"{deadline}\">" in detail
    assert deadline in _deadline_cell(detail)
    listing = text(client.get("/engagements"))
    assert f">{deadline}</time>" in listing
    subcontractor = text(client.get(f"/subcontractors/{engagement.subcontractor_id}"))
    assert deadline in subcontractor.split('id="engagements"')[1]


def test_specific_authorisation_shows_when_approval_was_requested_by(client):
    signed_in(client)
    requested_by = today() + timedelta(days=20)
    engagement = _notified_without_stored_deadline("specific", objection_deadline=requested_by)
    cell = _deadline_cell(text(client.get(f"/engagements/{engagement.id}")))
    assert "No objection period; written approval requested by" in cell
    assert requested_by.isoformat() in cell
    assert "written approval requested by" in text(client.get("/engagements"))


def test_list_puts_the_dpa_deadline_before_a_later_stored_one(client):
    signed_in(client)
    _notified_without_stored_deadline()  # objection period ends in 20 days
    make_engagement(make_subcontractor(name="Later Oy"), make_dpa().controller,
                    on_list_at_signing=False, notified_on=today(),
                    objection_deadline=today() + timedelta(days=25))
    page = text(client.get("/engagements"))
    assert page.index("Fraud Shield SAS") < page.index("Later Oy")
