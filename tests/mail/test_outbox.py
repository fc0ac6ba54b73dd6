"""The mail outbox: queued with the change, delivered once, retried with backoff, given up."""

import threading
from datetime import timedelta

import pytest

from registry.db import write_transaction
from registry.extensions import database
from registry.mail import compose, outbox, send_or_log
from registry.mail.delivery import (
    BATCH,
    GIVE_UP_AFTER,
    LEASE,
    claim,
    deliver_due,
    retry_delay,
)
from registry.models import AuditEvent, MailMessage, User
from tests.factories import make_user
from tests.mail.smtpserver import free_port


class Rollback(Exception):
    """Raised to roll a test's transaction back."""


def message(to="ann@example.com", subject="Hello"):
    """Return a composed test message."""
    return compose([to], subject, "mail/test_message")


def unreachable(app):
    """Point `app` at a port where nobody listens."""
    app.config["SMTP_URL"] = f"smtp://127.0.0.1:{free_port()}?timeout=2"


def test_a_rolled_back_change_sends_nothing_and_a_committed_one_sends_once(app, smtp):
    with pytest.raises(Rollback), write_transaction():
        make_user("legal", email="gone@example.com")
        assert send_or_log(message("gone@example.com"), "invitation")
        raise Rollback
    with write_transaction():
        make_user("legal", email="kept@example.com")
        assert send_or_log(message("kept@example.com"), "invitation")
    assert MailMessage.select().count() == 1
    assert User.select().count() == 1
    assert deliver_due().sent == 1
    assert deliver_due().sent == 0  # nothing twice
    [(recipients, sent, _auth)] = smtp.messages
    assert recipients == ["kept@example.com"] and sent["Subject"] == "[dpa-registry] Hello"


def test_queued_messages_are_sealed_and_lose_their_content_once_sent(app, smtp):
    composed = message()
    row = outbox.enqueue(composed, "password reset")
    assert row.status == "queued" and row.recipients == ["ann@example.com"]
    stored = bytes(MailMessage.get_by_id(row.id).content)
    assert b"Hello" not in stored and b"Hello" in outbox.unseal(stored)
    deliver_due()
    stored = MailMessage.get_by_id(row.id)
    assert (stored.status, stored.attempts, bytes(stored.content)) == ("sent", 1, b"")
    assert stored.sent_at is not None and stored.claim_token is None
    [(_recipients, sent, _auth)] = smtp.messages
    assert sent["Message-ID"] == composed["Message-ID"] == stored.message_id


def test_a_message_built_without_a_message_id_gets_one(app):
    composed = message()
    del composed["Message-ID"]
    row = outbox.enqueue(composed, "invitation")
    assert row.message_id.startswith("<") and row.message_id.endswith("@localhost>")


def test_a_message_without_recipients_is_refused_and_nothing_is_queued(app):
    composed = message()
    del composed["To"]
    assert send_or_log(composed, "invitation") is False
    assert MailMessage.select().count() == 0


def test_two_deliverers_at_once_send_each_message_once(app, smtp):
    count = BATCH * 2 + 5
    with write_transaction():
        for number in range(count):
            outbox.enqueue(message(f"person{number}@example.com"), "upload received")
    start, reports, errors = threading.Barrier(2), [], []

    def deliverer():
        try:
            with app.app_context(), database.connection_context():
                start.wait()
                reports.append(deliver_due())
        except Exception as error:  # shown by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=deliverer) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not errors
    assert sum(report.sent for report in reports) == count
    message_ids = [sent["Message-ID"] for _recipients, sent, _auth in smtp.messages]
    assert len(message_ids) == len(set(message_ids)) == count
    assert {row.status for row in MailMessage.select()} == {"sent"}


def test_a_claim_is_exclusive_until_its_lease_runs_out(app, clock):
    outbox.enqueue(message(), "invitation")
    _token, first = claim()
    assert len(first) == 1
    assert claim()[1] == []
    clock.advance(LEASE + timedelta(seconds=1))
    assert [row.id for row in claim()[1]] == [first[0].id]  # its pass died: taken again


def test_retry_delay_doubles_from_a_minute_up_to_six_hours():
    delays = [retry_delay(attempts) for attempts in (1, 2, 3, 4, 10, 30)]
    assert delays == [timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=4),
                      timedelta(minutes=8), timedelta(hours=6), timedelta(hours=6)]


def test_an_unreachable_server_retries_after_a_growing_pause(app, clock, smtp):
    outbox.enqueue(message(), "invitation")
    server_url = app.config["SMTP_URL"]
    unreachable(app)
    report = deliver_due()
    assert report.server_unreachable and report.retried == 1
    row = MailMessage.get()
    assert (row.status, row.attempts) == ("queued", 1)
    assert row.next_attempt_at == clock.moment.replace(tzinfo=None) + timedelta(minutes=1)
    assert "cannot reach" in row.last_error
    clock.advance(timedelta(seconds=30))
    assert deliver_due().retried == 0  # not due yet
    clock.advance(timedelta(seconds=31))
    deliver_due()
    assert MailMessage.get().attempts == 2
    assert MailMessage.get().next_attempt_at == (
        clock.moment.replace(tzinfo=None) + timedelta(minutes=2))
    app.config["SMTP_URL"] = server_url
    clock.advance(timedelta(minutes=2))
    assert deliver_due().sent == 1
    assert len(smtp.messages) == 1


def test_a_message_still_undelivered_after_three_days_is_given_up(app, clock):
    outbox.enqueue(message(), "password reset")
    unreachable(app)
    clock.advance(GIVE_UP_AFTER)
    report = deliver_due()
    assert report.failed == 1 and report.retried == 0
    row = MailMessage.get()
    assert row.status == "failed" and bytes(row.content) == b""
    assert row.last_error.startswith("gave up after 1 attempts: cannot reach")
    event = AuditEvent.get(AuditEvent.action == "mail.failed")
    assert "password reset" in event.summary and "Hello" not in event.details


def test_a_refused_recipient_fails_at_once_and_the_others_are_still_sent(app, smtp):
    smtp.handler.refuse["nobody@example.com"] = "550 No such user"
    refused = outbox.enqueue(message("nobody@example.com"), "invitation")
    accepted = outbox.enqueue(message("ann@example.com"), "invitation")
    report = deliver_due()
    assert (report.sent, report.failed, report.retried) == (1, 1, 0)
    row = MailMessage.get_by_id(refused.id)
    assert (row.status, row.attempts) == ("failed", 1) and "550" in row.last_error
    assert MailMessage.get_by_id(accepted.id).status == "sent"
    assert outbox.failed_count() == 1


def test_status_counts_and_the_oldest_queued_age(app, clock, smtp):
    assert outbox.oldest_queued_age() is None
    outbox.enqueue(message(), "invitation")
    clock.advance(timedelta(minutes=5))
    outbox.enqueue(message(), "invitation")
    assert outbox.status_counts() == {"queued": 2, "sent": 0, "failed": 0}
    assert outbox.oldest_queued_age() == timedelta(minutes=5)
    deliver_due()
    assert outbox.status_counts() == {"queued": 0, "sent": 2, "failed": 0}
    assert outbox.oldest_queued_age() is None
