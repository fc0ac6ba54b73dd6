"""Forwarding a data-subject request: queued by the page, mailed by the worker to a real SMTP
server on loopback, recorded on the request."""

from datetime import UTC, datetime

import pytest

from registry import checks
from registry.models import AuditEvent, SubjectRequest
from tests.incidents.helpers import form_post, signed_in, text
from tests.registry_factories import make_controller, make_dpa
from tests.requests.factories import make_subject_request

RECEIVED = datetime(2026, 11, 25, 7, 0, tzinfo=UTC)  # 09:00 in Helsinki


@pytest.fixture
def request_row(app, clock):
    """An erasure request concerning Aurora (two privacy contacts)."""
    aurora = make_dpa(make_controller(
        name="Aurora Kauppa Oy",
        privacy_contacts=["dpo@aurora.example", "legal@aurora.example"])).controller
    return make_subject_request(aurora, received_at=RECEIVED, reference="DSR-2026-004",
                                request_type="erasure", channel="web_form",
                                subject_reference="Customer 4711, order 99812",
                                details="Asks us to delete the account and order history.")


def _body(message):
    return message.get_body(preferencelist=("plain",)).get_content()


def _forward(client, row):
    url = f"/requests/{row.id}"
    return form_post(client, f"{url}/forward", {}, page_url=url)


def test_the_request_leaves_in_the_worker_and_carries_what_the_controller_needs(
        client, request_row, smtp_server, queue):
    signed_in(client)
    url = f"/requests/{request_row.id}"
    response = _forward(client, request_row)
    assert "on its way to the controller" in text(client.get(response.headers["Location"]))
    assert smtp_server.messages == []  # nothing is mailed inside the request
    assert "being sent to dpo@aurora.example, legal@aurora.example" in text(client.get(url))
    assert queue.work() == 1
    [(envelope, message, _auth)] = smtp_server.messages
    assert sorted(envelope) == ["dpo@aurora.example", "legal@aurora.example"]
    assert message["Subject"] == ("[dpa-registry] Data subject request DSR-2026-004 for "
                                  "Aurora Kauppa Oy: erasure")
    assert message["Message-ID"].startswith("<subject-request-")
    body = _body(message)
    for fact in ("DSR-2026-004", "erasure (Art. 17 GDPR)", "Web form",
                 "25 November 2026 at 09:00 EET (2026-11-25T09:00+02:00)",
                 "Customer 4711, order 99812", "delete the account", "Article 28(3)(e)"):
        assert fact in body, fact
    row = SubjectRequest.get_by_id(request_row.id)
    assert row.forwarded_at is not None
    assert row.forwarded_to == ["dpo@aurora.example", "legal@aurora.example"]
    assert row.forward_message_id == message["Message-ID"]
    assert AuditEvent.get(AuditEvent.action == "subject_request.forwarded").actor_label == \
        "worker"
    assert "Forwarded" in text(client.get(url))
    assert not [f for f in checks.current_assessment().findings if f.area == "requests"]


def test_a_double_submission_mails_once(client, request_row, smtp_server, queue):
    signed_in(client)
    _forward(client, request_row)
    again = _forward(client, request_row)
    assert "forwarded already, or is on its way" in text(
        client.get(again.headers["Location"]))
    assert queue.work() == 1 and len(smtp_server.messages) == 1


def test_a_refused_forward_shows_why_and_can_be_sent_again(client, request_row, smtp_server,
                                                          queue):
    for address in ("dpo@aurora.example", "legal@aurora.example"):
        smtp_server.handler.refuse[address] = "550 No such user"
    signed_in(client)
    _forward(client, request_row)
    queue.work()
    row = SubjectRequest.get_by_id(request_row.id)
    assert row.forwarded_at is None and "refused every recipient" in row.forward_error
    page = text(client.get(f"/requests/{row.id}"))
    assert "not delivered" in page and "Forward it again" in page
    smtp_server.handler.refuse.clear()
    _forward(client, row)
    queue.work()
    assert SubjectRequest.get_by_id(row.id).forwarded_at is not None


def test_without_a_controller_or_privacy_contact_nothing_is_queued(client, app, clock):
    unknown = make_subject_request(None, received_at=RECEIVED)
    silent = make_subject_request(make_controller(name="Silent Oy", privacy_contacts=[]),
                                  received_at=RECEIVED)
    signed_in(client)
    page = text(client.get(_forward(client, unknown).headers["Location"]))
    assert "Identify the controller first" in page
    page = text(client.get(_forward(client, silent).headers["Location"]))
    assert "Silent Oy has no privacy contact to forward to" in page
    assert [row.forward_recipients for row in SubjectRequest.select()] == [[], []]
