"""Announcing an unready subcontractor (no flow-down agreement or evidence) is warned first."""

import re

from registry.models import AuditEvent, Engagement
from tests.registry_factories import (
    make_controller,
    make_dpa,
    make_engagement,
    make_requirement,
    make_subcontractor,
)
from tests.subcontractors.helpers import csrf_token, form_post, signed_in, text


def _proposed(subcontractor, count=1):
    engagements = []
    for _ in range(count):
        controller = make_controller()
        make_dpa(controller)
        engagements.append(make_engagement(subcontractor, controller, on_list_at_signing=False))
    return engagements


def _unnotified():
    return Engagement.select().where(Engagement.notified_on.is_null()).count()


def test_a_notice_about_a_subcontractor_without_flow_down_waits_for_confirmation(client):
    signed_in(client)
    subcontractor = make_subcontractor(flow_down=False)
    engagement, = _proposed(subcontractor)
    url = f"/engagements/{engagement.id}"

    warned = form_post(client, f"{url}/notify", {}, page_url=url)

    assert warned.status_code == 409
    page = text(warned)
    assert "is not ready to be announced" in page
    assert "flow-down" in page.lower()
    assert 'name="send_despite_gaps" value="yes"' in page
    assert _unnotified() == 1  # nothing was sent yet

    sent = client.post(f"{url}/notify", data={"csrf_token": csrf_token(page),
                                              "send_despite_gaps": "yes"})

    assert sent.status_code == 302
    assert _unnotified() == 0
    event = AuditEvent.get(AuditEvent.action == "engagement.notice_despite_gaps")
    assert "flow_down_missing" in event.details


def test_missing_required_evidence_warns_the_bulk_notice_too(client):
    signed_in(client)
    make_requirement()
    subcontractor = make_subcontractor()
    _proposed(subcontractor, count=2)
    page_url = f"/subcontractors/{subcontractor.id}"

    warned = form_post(client, f"/engagements/subcontractor/{subcontractor.id}/notify", {},
                       page_url=page_url)

    assert warned.status_code == 409
    assert re.search(r"No accepted|accepted attestation|evidence", text(warned))
    assert _unnotified() == 2


def test_a_ready_subcontractor_is_notified_without_a_warning(client):
    signed_in(client)
    subcontractor = make_subcontractor()
    engagement, = _proposed(subcontractor)
    url = f"/engagements/{engagement.id}"

    response = form_post(client, f"{url}/notify", {}, page_url=url)

    assert response.status_code == 302
    assert _unnotified() == 0
    assert not AuditEvent.select().where(
        AuditEvent.action == "engagement.notice_despite_gaps").exists()


def test_the_engage_form_is_a_checklist_that_submits_without_javascript(client):
    signed_in(client)
    subcontractor = make_subcontractor()
    controllers = [make_controller() for _ in range(4)]
    url = f"/engagements/new/{subcontractor.id}"
    page = text(client.get(url))

    assert "<select" not in page.split('name="controllers"')[0][-300:]
    boxes = re.findall(r'<input[^>]*name="controllers"[^>]*>', page)
    assert len(boxes) == 4 and all('type="checkbox"' in box for box in boxes)
    assert "Ctrl" not in page
    assert 'class="checklist__options"' in page and "checklist-filter.js" in page

    chosen = [controllers[1].id, controllers[3].id]
    response = client.post(url, data={"csrf_token": csrf_token(page), "scope": "some",
                                      "proposed_on": re.search(
                                          r'name="proposed_on"[^>]*value="([^"]+)"',
                                          page).group(1),
                                      "controllers": [str(cid) for cid in chosen]})

    assert response.status_code == 302
    assert {row.controller_id for row in Engagement.select()} == set(chosen)


def test_a_refused_engage_form_keeps_the_ticks(client):
    signed_in(client)
    subcontractor = make_subcontractor()
    first, second = make_controller(), make_controller()

    response = form_post(client, f"/engagements/new/{subcontractor.id}",
                         {"scope": "some", "proposed_on": "not a date",
                          "controllers": [str(second.id)]})

    assert response.status_code == 400
    boxes = re.findall(r'<input[^>]*name="controllers"[^>]*>', text(response))
    ticked = {int(re.search(r'value="(\d+)"', box).group(1)) for box in boxes if "checked" in box}
    assert ticked == {second.id}
    assert first.id
