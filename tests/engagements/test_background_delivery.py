"""Notices to many controllers are recorded in the request and mailed by the huey worker."""

import json

import pytest
from huey.storage import SqliteStorage

from registry import tasks
from registry.engagements.delivery import INLINE_LIMIT
from registry.mail.delivery import deliver_due
from registry.models import AuditEvent, Engagement
from tests.registry_factories import make_controller, make_dpa, make_engagement, make_subcontractor
from tests.subcontractors.helpers import form_post, signed_in, text, today


@pytest.fixture
def queue(tmp_path, monkeypatch):
    """Point the huey queue at a SQLite file whose folder and tables do not exist yet."""
    storage = SqliteStorage("dpa-registry", filename=str(tmp_path / "queue" / "huey.sqlite3"),
                            create_tables=False)
    monkeypatch.setattr(tasks.huey, "storage", storage)
    return tasks.huey


@pytest.fixture
def immediate():
    """Run huey tasks in the calling thread, as the consumer would."""
    tasks.huey.immediate = True
    yield tasks.huey
    tasks.huey.immediate = False


def _engaged_for_every_controller(controllers):
    for _ in range(controllers):
        make_dpa(make_controller())
    return make_engagement(make_subcontractor(name="Pilvi Oy"), None, on_list_at_signing=False)


def _notify(client, engagement):
    url = f"/engagements/{engagement.id}"
    response = form_post(client, f"{url}/notify", {}, page_url=url)
    assert response.status_code == 302
    return text(client.get(response.headers["Location"]))


def test_many_recipients_are_queued_and_the_request_sends_nothing(client, smtp_server, queue):
    signed_in(client)
    engagement = _engaged_for_every_controller(INLINE_LIMIT + 1)
    page = _notify(client, engagement)
    assert f"{INLINE_LIMIT + 1} e-mails on the way" in page
    assert smtp_server.messages == []
    stored = Engagement.get_by_id(engagement.id)
    assert stored.notified_on == today() and stored.notice_sent_at is None
    assert queue.pending_count() == 1
    queue.execute(queue.dequeue())  # what the worker does
    assert len(smtp_server.messages) == INLINE_LIMIT + 1
    assert Engagement.get_by_id(engagement.id).notice_sent_at is not None
    event = AuditEvent.get(AuditEvent.action == "engagement.notice_sent")
    assert json.loads(event.details)["messages"] == INLINE_LIMIT + 1


def test_few_recipients_go_through_the_mail_outbox(client, smtp_server, queue):
    signed_in(client)
    engagement = _engaged_for_every_controller(INLINE_LIMIT)
    assert "Notified 20 controllers about Pilvi Oy: 20 e-mails on the way" in _notify(
        client, engagement)
    tasks.prepare_storage(queue)
    assert smtp_server.messages == [] and queue.pending_count() == 0
    assert Engagement.get_by_id(engagement.id).notice_sent_at is None
    assert deliver_due().sent == INLINE_LIMIT  # what the worker or the serve thread does
    assert len(smtp_server.messages) == INLINE_LIMIT
    assert Engagement.get_by_id(engagement.id).notice_sent_at is not None
    assert AuditEvent.select().where(AuditEvent.action == "engagement.notice_sent").count() == 1


def test_queued_notices_are_delivered_by_the_task(client, smtp_server, immediate):
    signed_in(client)
    engagement = _engaged_for_every_controller(INLINE_LIMIT + 2)
    _notify(client, engagement)
    assert len(smtp_server.messages) == INLINE_LIMIT + 2
    recipients = sorted(address for envelope, _message, _auth in smtp_server.messages
                        for address in envelope)
    assert recipients == sorted(Engagement.get_by_id(engagement.id).notice_recipients)
    assert Engagement.get_by_id(engagement.id).notice_error == ""


def test_the_task_records_a_notice_it_cannot_send(client, smtp_server, queue):
    signed_in(client)
    engagement = _engaged_for_every_controller(INLINE_LIMIT + 1)
    _notify(client, engagement)
    make_dpa(make_controller(name="Ilman Yhteystietoa Oy", privacy_contacts=[]))
    queue.execute(queue.dequeue())
    stored = Engagement.get_by_id(engagement.id)
    assert smtp_server.messages == [] and stored.notice_sent_at is None
    assert "No privacy contact to notify at Ilman Yhteystietoa Oy" in stored.notice_error
    assert "Send the notice again" in text(client.get(f"/engagements/{engagement.id}"))
