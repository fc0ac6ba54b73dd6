"""The engagement status moves as DOMAIN.md says: proposed -> notified -> authorised | objected |
withdrawn, with the objection deadline from each controller's DPA (days travelled with
time-machine; the engine derives every status)."""

from datetime import UTC, date, datetime, timedelta

import time_machine

from registry.checks import current_snapshot
from registry.mail.delivery import deliver_due
from registry.models import Engagement
from tests.registry_factories import make_controller, make_dpa, make_subcontractor
from tests.subcontractors.helpers import form_post, signed_in, text

START = date(2026, 3, 2)


def _at(day):
    return time_machine.travel(datetime(day.year, day.month, day.day, 10, 0, tzinfo=UTC),
                               tick=True)


def _status(engagement, controller=None):
    statuses = current_snapshot().assessment.engagement_status
    return statuses[engagement.id if controller is None else (engagement.id, controller.id)]


def _codes(engagement):
    findings = current_snapshot().assessment.findings
    return {finding.code for finding in findings
            if finding.subject_type == "engagement" and finding.subject_id == engagement.id}


def _engage_and_notify(client, subcontractor, controllers=None):
    values = {"scope": "all"} if controllers is None else {
        "scope": "some", "controllers": [controller.id for controller in controllers]}
    values["proposed_on"] = START.isoformat()
    form_post(client, f"/engagements/new/{subcontractor.id}", values)
    engagement = Engagement.select().order_by(Engagement.id.desc()).get()
    url = f"/engagements/{engagement.id}"
    assert form_post(client, f"{url}/notify", {}, page_url=url).status_code == 302
    deliver_due()  # the objection period runs from the delivery
    return Engagement.get_by_id(engagement.id)


def test_general_authorisation_becomes_authorised_after_the_objection_period(client, app):
    with _at(START):
        signed_in(client)
        controller = make_controller()
        make_dpa(controller, objection_period_days=30)
        subcontractor = make_subcontractor()
        form_post(client, f"/engagements/new/{subcontractor.id}",
                  {"scope": "some", "controllers": [controller.id],
                   "proposed_on": START.isoformat()})
        engagement = Engagement.get()
        assert _status(engagement) == "proposed"
        assert _codes(engagement) == {"engagement_unauthorised"}
        url = f"/engagements/{engagement.id}"
        form_post(client, f"{url}/notify", {}, page_url=url)
        deliver_due()  # the objection period runs from the delivery
        engagement = Engagement.get_by_id(engagement.id)
        assert engagement.objection_deadline == START + timedelta(days=30)
        assert _status(engagement) == "notified"
        assert "engagement_objection_period" in _codes(engagement)
        assert "may object until" in text(client.get(url))
    with _at(START + timedelta(days=30)):
        assert _status(engagement) == "notified"
    with _at(START + timedelta(days=31)):
        assert _status(engagement) == "authorised"
        assert _codes(engagement) == set()
        later = app.test_client()
        signed_in(later, "auditor")
        page = text(later.get(url))
        assert "Authorised" in page and "objection period ended" in page


def test_objection_turns_the_engagement_red_even_after_the_period(client):
    with _at(START):
        signed_in(client)
        controller = make_controller()
        make_dpa(controller, objection_period_days=14)
        engagement = _engage_and_notify(client, make_subcontractor(), [controller])
        objected_on = START + timedelta(days=3)
    with _at(objected_on):
        later_client = client.application.test_client()
        signed_in(later_client)
        url = f"/engagements/{engagement.id}"
        form_post(later_client, f"{url}/objection",
                  {"objected_on": objected_on.isoformat(), "note": "Not in the US, please."},
                  page_url=url)
        assert _status(engagement) == "objected"
        assert "engagement_objected" in _codes(engagement)
    with _at(START + timedelta(days=60)):
        assert _status(engagement) == "objected"


def test_specific_authorisation_waits_for_the_written_approval(client):
    with _at(START):
        signed_in(client)
        controller = make_controller()
        make_dpa(controller, subprocessor_authorisation="specific", objection_period_days=10)
        engagement = _engage_and_notify(client, make_subcontractor(), [controller])
        assert engagement.objection_deadline == START + timedelta(days=10)
        assert "written approval needed" in text(client.get(f"/engagements/{engagement.id}"))
    with _at(START + timedelta(days=40)):
        assert _status(engagement) == "notified"
        later = client.application.test_client()
        signed_in(later)
        url = f"/engagements/{engagement.id}"
        form_post(later, f"{url}/approval", {"approved_on": (START + timedelta(days=40))
                                             .isoformat(), "on_file": "y",
                                             "reference": "E-mail from the DPO"},
                  page_url=url, content_type="multipart/form-data")
        assert _status(engagement) == "authorised"


def test_withdrawn_engagement_needs_nothing(client):
    with _at(START):
        signed_in(client)
        controller = make_controller()
        make_dpa(controller)
        engagement = _engage_and_notify(client, make_subcontractor(), [controller])
        url = f"/engagements/{engagement.id}"
        form_post(client, f"{url}/withdraw", {"withdrawn_on": START.isoformat()}, page_url=url)
        assert _status(engagement) == "withdrawn"
        assert _codes(engagement) == set()


def test_scope_all_deadline_follows_each_controllers_dpa(client):
    with _at(START):
        signed_in(client)
        quick, slow = make_controller(name="Quick Oy"), make_controller(name="Slow Oy")
        make_dpa(quick, objection_period_days=14)
        make_dpa(slow, objection_period_days=30)
        engagement = _engage_and_notify(client, make_subcontractor())
        assert engagement.controller_id is None and engagement.objection_deadline is None
        assert sorted(engagement.notice_recipients) == sorted(
            quick.privacy_contacts + slow.privacy_contacts)
    with _at(START + timedelta(days=15)):
        assert _status(engagement, quick) == "authorised"
        assert _status(engagement, slow) == "notified"
        assert _status(engagement) == "notified"  # the least advanced of the two
        later = client.application.test_client()
        signed_in(later)
        page = text(later.get(f"/engagements/{engagement.id}"))
        assert (START + timedelta(days=30)).isoformat() in page
        assert "Quick Oy" in page and "Slow Oy" in page
