"""Deliveries: signed, retried with backoff after a failure, never to a refused address."""

import json
from datetime import timedelta

from registry.models import AuditEvent
from registry.webhooks import addresses, events
from registry.webhooks.delivery import deliver_due, retry_delay
from registry.webhooks.models import WebhookDelivery


def _queue_test_event(endpoint):
    from registry.webhooks.operations import send_test_event

    return send_test_event(endpoint, "cli")


def test_a_delivery_is_signed_and_the_receiver_verifies_it(endpoint, receiver):
    event_id = _queue_test_event(endpoint)
    report = deliver_due()
    assert report.delivered == 1
    [got] = receiver.received
    assert got.signed, "the receiver could not verify the signature"
    assert got.path == "/hooks/registry"
    assert got.headers["X-Registry-Event-Id"] == event_id
    assert got.headers["X-Registry-Event"] == "webhook.test"
    assert got.headers["Content-Type"] == "application/json"
    assert got.event["id"] == event_id and got.event["type"] == "webhook.test"
    row = WebhookDelivery.get(WebhookDelivery.event_id == event_id)
    assert (row.status, row.attempts, row.response_code) == ("delivered", 1, 200)


def test_a_wrong_secret_does_not_verify(endpoint, receiver):
    receiver.secret = "whsec_not-the-one"
    _queue_test_event(endpoint)
    deliver_due()
    assert not receiver.received[0].signed
    assert WebhookDelivery.get().response_code == 401


def test_a_500_is_retried_after_the_backoff_then_delivered_once(endpoint, receiver, clock):
    receiver.answers = [500]
    event_id = _queue_test_event(endpoint)
    report = deliver_due()
    assert (report.delivered, report.retried) == (0, 1)
    row = WebhookDelivery.get()
    assert (row.status, row.attempts, row.response_code) == ("queued", 1, 500)
    assert "500" in row.last_error
    assert row.next_attempt_at == row.last_attempt_at + timedelta(minutes=1)
    assert deliver_due().delivered == 0, "not before the backoff has passed"
    clock.advance(timedelta(seconds=61))
    assert deliver_due().delivered == 1
    assert [got.event["id"] for got in receiver.received] == [event_id, event_id]
    assert all(got.signed for got in receiver.received)
    row = WebhookDelivery.get()
    assert (row.status, row.attempts, row.response_code, row.last_error) == (
        "delivered", 2, 200, "")


def test_the_backoff_doubles_from_a_minute_up_to_six_hours():
    minutes = [retry_delay(attempts).total_seconds() / 60 for attempts in range(1, 13)]
    assert minutes == [1, 2, 4, 8, 16, 32, 64, 128, 256, 360, 360, 360]


def test_a_delivery_is_given_up_after_three_days_and_audited(endpoint, receiver, clock):
    receiver.answers = [503] * 30
    _queue_test_event(endpoint)
    deliver_due()
    clock.advance(timedelta(days=3, minutes=1))
    report = deliver_due()
    assert report.failed == 1
    assert WebhookDelivery.get().status == "failed"
    event = AuditEvent.get(AuditEvent.action == "webhook.delivery_failed")
    assert "503" in event.summary and event.object_id == str(endpoint.id)


def test_a_disabled_endpoint_gets_nothing_until_enabled(endpoint, receiver, admin):
    from registry.webhooks.operations import set_enabled

    _queue_test_event(endpoint)
    set_enabled(endpoint, False, admin)
    assert deliver_due().delivered == 0 and receiver.received == []
    set_enabled(endpoint, True, admin)
    assert deliver_due().delivered == 1


def test_the_address_is_checked_again_at_delivery_time(endpoint, receiver, app, monkeypatch):
    _queue_test_event(endpoint)
    app.config["WEBHOOKS_ALLOW_HTTP_LOOPBACK"] = False  # as if the name now led elsewhere
    report = deliver_due()
    assert report.retried == 1 and receiver.received == []
    assert "loopback" in WebhookDelivery.get().last_error


def test_dns_rebinding_to_a_private_address_is_refused_when_delivering(app, admin, monkeypatch):
    from registry.webhooks.operations import create_endpoint, send_test_event

    monkeypatch.setattr(addresses, "resolve", lambda host, port: ["93.184.215.14"])
    created, _secret = create_endpoint("https://hooks.example.com/in", "", ["dpa.signed"], admin)
    send_test_event(created, admin)
    connected = []
    monkeypatch.setattr(addresses, "resolve", lambda host, port: ["10.1.2.3"])
    monkeypatch.setattr("socket.create_connection", lambda *a, **k: connected.append(a))
    report = deliver_due()
    assert report.retried == 1 and connected == []
    assert "10.1.2.3" in WebhookDelivery.get().last_error


def test_the_body_is_the_same_json_on_every_attempt(endpoint, receiver, clock):
    receiver.answers = [502]
    _queue_test_event(endpoint)
    deliver_due()
    clock.advance(timedelta(minutes=2))
    deliver_due()
    first, second = receiver.received
    assert first.body == second.body
    assert json.loads(first.body)["data"]["endpoint_id"] == endpoint.id
    assert first.headers["X-Registry-Signature"].startswith("t=")


def test_no_event_is_queued_without_a_subscriber(app):
    assert events.enqueue("dpa.signed", {"x": 1}) is None
    assert WebhookDelivery.select().count() == 0
