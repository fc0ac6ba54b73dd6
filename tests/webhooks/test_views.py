"""The admins' webhook pages: register (secret shown once), test event, log, enable and
disable, rotate, delete; each audited."""

import re

import pytest

from registry.extensions import database
from registry.models import AuditEvent
from registry.webhooks.delivery import deliver_due
from registry.webhooks.models import WebhookDelivery, WebhookEndpoint
from tests.auth_helpers import login, post_form
from tests.factories import make_user


@pytest.fixture
def admin_client(loopback_allowed, make_client):
    return login(make_client(), make_user("admin"))


def _secret(response):
    return re.search(r'id="webhook-secret"><code>(whsec_[\w-]+)</code>',
                     response.get_data(as_text=True)).group(1)


def _register(client, url, events=("dpa.signed", "attestation.accepted")):
    return post_form(client, "/admin/webhooks/new",
                     {"url": url, "description": "Ticketing", "events": list(events)})


def _actions():
    return [event.action for event in
            AuditEvent.select().where(AuditEvent.action.startswith("webhook."))
            .order_by(AuditEvent.id)]


def test_registering_shows_the_secret_once_and_stores_it_sealed(admin_client, receiver):
    response = _register(admin_client, receiver.url)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    secret = _secret(response)
    endpoint = WebhookEndpoint.get()
    assert endpoint.events == ["attestation.accepted", "dpa.signed"]
    raw = database.execute_sql("SELECT secret FROM webhook_endpoint").fetchone()[0]
    assert secret.encode() not in bytes(raw)
    page = admin_client.get(f"/admin/webhooks/{endpoint.id}").get_data(as_text=True)
    assert secret not in page and receiver.url in page
    assert _actions() == ["webhook.endpoint_created"]


def test_the_test_button_sends_a_signed_event_that_appears_in_the_log(admin_client, receiver,
                                                                       caplog):
    caplog.set_level("DEBUG")
    receiver.secret = _secret(_register(admin_client, receiver.url))
    endpoint = WebhookEndpoint.get()
    page_url = f"/admin/webhooks/{endpoint.id}"
    response = post_form(admin_client, f"{page_url}/test", {}, page_url=page_url)
    assert response.status_code == 302
    assert deliver_due().delivered == 1
    [got] = receiver.received
    assert got.signed and got.event["type"] == "webhook.test"
    log = admin_client.get(page_url).get_data(as_text=True)
    assert got.event["id"] in log and "Delivered" in log and "200" in log
    assert _actions() == ["webhook.endpoint_created", "webhook.test_sent"]
    assert receiver.secret not in caplog.text, "the secret is never logged"


def test_a_refused_address_is_explained_on_the_form(admin_client):
    response = _register(admin_client, "https://169.254.169.254/latest")
    assert response.status_code == 400
    assert "link-local" in response.get_data(as_text=True)
    assert WebhookEndpoint.select().count() == 0


def test_an_endpoint_needs_an_event(admin_client, receiver):
    response = _register(admin_client, receiver.url, events=())
    assert response.status_code == 400
    assert "Choose at least one event." in response.get_data(as_text=True)


def _test_event(client, page_url):
    post_form(client, f"{page_url}/test", {}, page_url=page_url)
    deliver_due()


def test_rotating_the_secret_at_once_makes_the_old_one_fail(admin_client, receiver):
    old = _secret(_register(admin_client, receiver.url))
    endpoint = WebhookEndpoint.get()
    page_url = f"/admin/webhooks/{endpoint.id}"
    new = _secret(post_form(admin_client, f"{page_url}/rotate", {"old_secret": "stop"},
                            page_url=page_url))
    assert new != old
    receiver.secret = old
    post_form(admin_client, f"{page_url}/test", {}, page_url=page_url)
    deliver_due()
    assert not receiver.received[0].signed
    receiver.secret = new
    post_form(admin_client, f"{page_url}/test", {}, page_url=page_url)
    deliver_due()
    assert receiver.received[-1].signed
    assert "webhook.secret_rotated" in _actions()


def test_a_rotated_secret_keeps_signing_beside_the_new_one_for_a_day(admin_client, receiver):
    old = _secret(_register(admin_client, receiver.url))
    endpoint = WebhookEndpoint.get()
    page_url = f"/admin/webhooks/{endpoint.id}"
    page = post_form(admin_client, f"{page_url}/rotate", {}, page_url=page_url)
    new = _secret(page)
    assert "two signatures" in page.get_data(as_text=True)
    for secret in (old, new):
        receiver.secret = secret
        _test_event(admin_client, page_url)
        assert receiver.received[-1].signed, "a receiver with either secret accepts it"
    assert receiver.received[-1].headers["X-Registry-Signature"].count("v1=") == 2
    assert "Old secret also signs until" in admin_client.get(page_url).get_data(as_text=True)

    WebhookEndpoint.update(previous_secret_until=WebhookEndpoint.secret_rotated_at).execute()
    receiver.secret = old
    _test_event(admin_client, page_url)
    assert not receiver.received[-1].signed, "after the overlap the old secret stops"
    assert receiver.received[-1].headers["X-Registry-Signature"].count("v1=") == 1


def test_stopping_the_old_secret_also_ends_an_earlier_overlap(admin_client, receiver):
    first = _secret(_register(admin_client, receiver.url))
    endpoint = WebhookEndpoint.get()
    page_url = f"/admin/webhooks/{endpoint.id}"
    second = _secret(post_form(admin_client, f"{page_url}/rotate", {}, page_url=page_url))
    third = _secret(post_form(admin_client, f"{page_url}/rotate", {"old_secret": "stop"},
                              page_url=page_url))
    for secret, accepted in ((first, False), (second, False), (third, True)):
        receiver.secret = secret
        _test_event(admin_client, page_url)
        assert receiver.received[-1].signed is accepted


def test_disable_enable_and_delete_are_audited(admin_client, receiver):
    _register(admin_client, receiver.url)
    endpoint = WebhookEndpoint.get()
    page_url = f"/admin/webhooks/{endpoint.id}"
    post_form(admin_client, f"{page_url}/disable", {}, page_url=page_url)
    assert not WebhookEndpoint.get().is_enabled
    page = admin_client.get(page_url).get_data(as_text=True)
    assert "Disabled" in page
    post_form(admin_client, f"{page_url}/test", {}, page_url=page_url)
    assert WebhookDelivery.select().count() == 0, "a disabled endpoint gets no test event"
    post_form(admin_client, f"{page_url}/enable", {}, page_url=page_url)
    assert WebhookEndpoint.get().is_enabled
    post_form(admin_client, f"{page_url}/test", {}, page_url=page_url)
    response = post_form(admin_client, f"{page_url}/delete", {}, page_url=page_url)
    assert response.status_code == 302
    assert WebhookEndpoint.select().count() == 0 and WebhookDelivery.select().count() == 0
    assert _actions() == ["webhook.endpoint_created", "webhook.endpoint_disabled",
                          "webhook.endpoint_enabled", "webhook.test_sent",
                          "webhook.endpoint_deleted"]


def test_the_list_and_its_empty_state(admin_client, receiver):
    assert "No webhook endpoints yet." in admin_client.get("/admin/webhooks").get_data(
        as_text=True)
    _register(admin_client, receiver.url)
    page = admin_client.get("/admin/webhooks").get_data(as_text=True)
    assert receiver.url in page and "Ticketing" in page


def test_editing_checks_the_new_url(admin_client, receiver):
    _register(admin_client, receiver.url)
    endpoint = WebhookEndpoint.get()
    edit_url = f"/admin/webhooks/{endpoint.id}/edit"
    response = post_form(admin_client, edit_url, {"url": "https://10.1.1.1/x",
                                                  "events": ["dpa.signed"]})
    assert response.status_code == 400 and "private" in response.get_data(as_text=True)
    response = post_form(admin_client, edit_url, {"url": receiver.url, "description": "New",
                                                  "events": ["dpa.ended"]})
    assert response.status_code == 302
    assert WebhookEndpoint.get().events == ["dpa.ended"]
    assert "webhook.endpoint_updated" in _actions()


def test_other_roles_cannot_open_the_pages(app, make_client):
    for role in ("legal", "auditor", "subcontractor"):
        client = login(make_client(), make_user(role))
        assert client.get("/admin/webhooks").status_code == 403


def test_the_tables_match_the_migration(app):
    from playhouse.schema_diff import diff_models

    from registry.calendar.models import MODELS as CALENDAR_MODELS
    from registry.webhooks.models import MODELS as WEBHOOK_MODELS

    models = list(WEBHOOK_MODELS + CALENDAR_MODELS)
    assert not diff_models(database.obj, models), diff_models(database.obj, models)
