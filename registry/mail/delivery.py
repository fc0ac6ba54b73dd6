"""Delivering the outbox: claim due messages, send them through one SMTP session, record each.

1. `claim` marks up to BATCH due rows with this pass's token in one write transaction
   (PostgreSQL: `FOR UPDATE SKIP LOCKED`, so passes running at once take different rows;
   SQLite: its single writer makes the UPDATE atomic). A claim older than LEASE belongs to a
   pass that died, and may be taken again.
2. Before each message the claim is renewed (its row still carries our token, or another pass
   took it over after the lease and we skip it); then the message is sent and its outcome
   recorded in its own transaction: sent; queued again after a backoff (temporary failure);
   or failed (permanent failure, or still not delivered after MAX_ATTEMPTS or GIVE_UP_AFTER).
3. A mail server that cannot be reached ends the pass; what it claimed and did not try is
   given back at once, as on SIGTERM (`Terminated`).
A pass that dies after the server accepted a message but before recording it leaves the row
claimed: after the lease it is sent again under the same Message-ID (at-least-once).
"""

import email
import email.policy
import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta

from registry import audit
from registry.db import is_sqlite, write_transaction
from registry.mail.errors import MailError, PermanentMailError, TemporaryMailError
from registry.mail.outbox import record_outcome, unseal
from registry.mail.transport import session
from registry.models import MailMessage, utcnow

log = logging.getLogger(__name__)
BATCH = 20
LEASE = timedelta(minutes=5)
FIRST_RETRY = timedelta(minutes=1)
LONGEST_RETRY = timedelta(hours=6)
GIVE_UP_AFTER = timedelta(days=3)
MAX_ATTEMPTS = 25


@dataclass
class DeliveryReport:
    """What one pass did, in numbers of messages."""

    sent: int = 0
    retried: int = 0
    failed: int = 0
    server_unreachable: bool = False


def retry_delay(attempts):
    """Return the wait after `attempts` failed attempts: 1 min, doubling, at most 6 hours."""
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_RETRY)


def claim(limit=BATCH):
    """Claim up to `limit` due queued messages for this pass; return (token, rows)."""
    token, now = secrets.token_hex(16), utcnow()
    due = (MailMessage
           .select(MailMessage.id)
           .where((MailMessage.status == "queued")
                  & (MailMessage.next_attempt_at <= now)
                  & (MailMessage.claimed_at.is_null() | (MailMessage.claimed_at < now - LEASE)))
           .order_by(MailMessage.next_attempt_at, MailMessage.id)
           .limit(limit))
    if not is_sqlite():
        due = due.for_update(skip_locked=True)
    with write_transaction():
        MailMessage.update(claim_token=token, claimed_at=now).where(
            MailMessage.id.in_(due)).execute()
    rows = MailMessage.select().where(MailMessage.claim_token == token).order_by(MailMessage.id)
    return token, list(rows)


def _mine(row, token):
    return (MailMessage.id == row.id) & (MailMessage.claim_token == token)


def _renew(row, token):
    """Refresh the claim on `row` just before sending it; False when it is no longer ours."""
    with write_transaction():
        return MailMessage.update(claimed_at=utcnow()).where(
            _mine(row, token) & (MailMessage.status == "queued")).execute() == 1


def release(rows, token):
    """Give claimed rows back untried, for the next pass to take at once."""
    with write_transaction():
        MailMessage.update(claim_token=None, claimed_at=None).where(
            MailMessage.id.in_([row.id for row in rows])
            & (MailMessage.claim_token == token)).execute()


def _record_sent(row, token):
    with write_transaction():
        changed = MailMessage.update(status="sent", sent_at=utcnow(), content=b"", last_error="",
                                     attempts=MailMessage.attempts + 1, claim_token=None,
                                     claimed_at=None).where(_mine(row, token)).execute()
        if changed:
            record_outcome(row)
    log.info("sent %s e-mail %s", row.purpose, row.message_id)


def _record_failed(row, token, reason):
    with write_transaction():
        changed = MailMessage.update(status="failed", content=b"", last_error=reason[:2000],
                                     attempts=MailMessage.attempts + 1, claim_token=None,
                                     claimed_at=None).where(_mine(row, token)).execute()
        if not changed:
            return
        record_outcome(row, reason)
        audit.record("mail.failed", ("mail", row.id), f"The {row.purpose} e-mail was not "
                     f"delivered: {reason[:300]}",
                     {"message_id": row.message_id, "purpose": row.purpose,
                      "recipient_count": len(row.recipients)}, actor="system")
    log.warning("gave up the %s e-mail %s: %s", row.purpose, row.message_id, reason)


def _record_retry(row, token, error):
    """Queue `row` again after its backoff, or give it up when it has waited long enough."""
    attempts, now = row.attempts + 1, utcnow()
    if attempts >= MAX_ATTEMPTS or now - row.created_at >= GIVE_UP_AFTER:
        _record_failed(row, token, f"gave up after {attempts} attempts: {error}")
        return False
    with write_transaction():
        MailMessage.update(attempts=attempts, next_attempt_at=now + retry_delay(attempts),
                           last_error=str(error)[:2000], claim_token=None,
                           claimed_at=None).where(_mine(row, token)).execute()
    return True


def _parsed(row):
    return email.message_from_bytes(unseal(row.content), policy=email.policy.default)


def _send_one(connection, row, token, report):
    """Send one claimed row; return False when the server cannot be reached (end the pass)."""
    if not _renew(row, token):
        return True
    try:
        connection.send(_parsed(row))
    except PermanentMailError as error:
        _record_failed(row, token, str(error))
        report.failed += 1
        return True
    except MailError as error:
        # Temporary; an SMTP problem smtplib cannot name counts as the server being unreachable.
        unreachable = not isinstance(error, TemporaryMailError) or error.unreachable
        retried = _record_retry(row, token, error)
        report.retried += retried
        report.failed += not retried
        report.server_unreachable |= unreachable
        return not unreachable
    _record_sent(row, token)
    report.sent += 1
    return True


def _send_batch(connection, token, rows, report, should_stop):
    """Send the claimed `rows` in order; return False when the pass must stop."""
    started = 0
    try:
        for row in rows:
            if should_stop():
                return False
            started += 1
            if not _send_one(connection, row, token, report):
                return False
        return True
    finally:
        # Untried rows (stopped, unreachable, Terminated) go back at once. The one in flight
        # when Terminated struck stays claimed: the server may have taken it (after the lease).
        release(rows[started:], token)


def deliver_due(should_stop=lambda: False):
    """Deliver every due queued message, batch by batch, through one session; never raises
    a mail error. `should_stop` is asked before each message (a stopping server thread)."""
    report = DeliveryReport()
    token, rows = claim()
    if not rows:
        return report
    try:
        with session() as connection:
            while rows and _send_batch(connection, token, rows, report, should_stop):
                token, rows = claim()
    except MailError as error:
        # The transport could not even be set up (a malformed SMTP_URL): keep everything.
        log.warning("mail delivery stopped: %s", error)
        report.server_unreachable = True
        release(rows, token)
    return report
