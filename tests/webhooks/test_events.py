"""Events are queued in the transaction of the change; findings raised and cleared are found
by comparing the shared snapshot with what was announced."""

import json

import pytest

from registry.attestations.operations import accept_attestation, reject_attestation
from registry.db import write_transaction
from registry.webhooks import events as events_module
from registry.webhooks import findings, operations
from registry.webhooks.delivery import deliver_due
from registry.webhooks.models import WebhookDelivery
from tests.portal.factories import make_upload, make_world
from tests.registry_factories import make_controller, make_dpa


class Boom(Exception):
    pass


@pytest.fixture
def pending(app):
    first, _second, legal = make_world()
    return make_upload(first.subcontractor, first.user, review="pending"), legal


def _events():
    return [(row.event_type, json.loads(row.body)) for row in
            WebhookDelivery.select().order_by(WebhookDelivery.id)]


def test_an_accepted_attestation_is_announced_with_its_audit_record(endpoint, pending, receiver):
    attestation, legal = pending
    accept_attestation(attestation, legal)
    [(event_type, body)] = _events()
    assert event_type == "attestation.accepted"
    assert body["data"]["object_type"] == "attestation"
    assert body["data"]["object_id"] == str(attestation.id)
    assert body["data"]["actor"] == legal.email
    assert deliver_due().delivered == 1
    assert receiver.received[0].signed
    assert receiver.received[0].event["type"] == "attestation.accepted"


def test_a_change_that_rolls_back_announces_nothing(endpoint, pending):
    attestation, legal = pending
    with pytest.raises(Boom), write_transaction():
        reject_attestation(attestation, legal, "Wrong scope")
        assert [event for event, _body in _events()] == ["attestation.rejected"]
        raise Boom
    assert _events() == []
    assert deliver_due().delivered == 0


def test_only_the_events_an_endpoint_chose_reach_it(loopback_allowed, receiver, admin, pending):
    attestation, legal = pending
    operations.create_endpoint(receiver.url, "", ["dpa.signed"], admin)
    accept_attestation(attestation, legal)
    assert _events() == []


def test_findings_raised_and_cleared_are_announced_once(endpoint, clock):
    findings.announce_changes()  # the first pass records what exists, announces nothing
    assert _events() == []
    controller = make_controller(name="Uusi Asiakas Oy")  # active, without a DPA: a red finding
    raised, cleared = findings.announce_changes()
    assert (raised, cleared) == (1, 0)
    [(event_type, body)] = _events()
    assert event_type == "finding.raised"
    assert body["data"]["finding"]["code"] == "dpa_missing"
    assert body["data"]["finding"]["controller_id"] == controller.id
    assert findings.announce_changes() == (0, 0), "announced once"
    make_dpa(controller)
    _raised, cleared = findings.announce_changes()
    assert cleared == 1
    kinds = [event_type for event_type, _body in _events()]
    assert kinds.count("finding.cleared") == 1
    cleared_body = [body for event_type, body in _events() if event_type == "finding.cleared"][0]
    assert cleared_body["data"]["finding"]["code"] == "dpa_missing"


@pytest.mark.parametrize(("action", "event_type"), sorted(events_module.AUDIT_ACTIONS.items()))
def test_each_audited_action_becomes_its_event(endpoint, action, event_type):
    from registry import audit

    audit.record(action, ("thing", 7), f"{action} happened", {"note": "x"}, actor="system")
    [(queued_type, body)] = _events()
    assert queued_type == event_type
    assert body["data"]["summary"] == f"{action} happened"
    assert body["data"]["details"] == {"note": "x"}


def test_other_audited_actions_announce_nothing(endpoint):
    from registry import audit

    audit.record("controller.updated", ("controller", 1), "renamed", actor="system")
    audit.record("webhook.endpoint_updated", endpoint, "changed", actor="system")
    assert _events() == []
