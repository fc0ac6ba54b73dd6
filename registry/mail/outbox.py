"""The outbox: mail is queued with the change it tells about and delivered outside requests.

`enqueue(message, purpose)` stores the composed message in `mail_outbox` inside the caller's
open transaction (or a transaction of its own), so a rolled-back change sends nothing and a
committed one is always sent. While it waits, the message is encrypted with a key derived from
REGISTRY_SECRET_KEY (`seal`). After the request that queued mail, `kick()` wakes the deliverer:
the delivery thread of `dpa-registry serve` in this process, or the huey worker when
MAIL_DELIVERY is `worker`. Both also look every minute, so a lost kick only delays a message.
"""

import base64
import logging
from datetime import timedelta
from email.utils import make_msgid

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app
from peewee import fn

from registry.background import Wakeup
from registry.db import write_transaction
from registry.mail.compose import sender_domain
from registry.mail.errors import MailError, PermanentMailError
from registry.models import MAIL_STATUSES, MailMessage, utcnow

log = logging.getLogger(__name__)
SEAL_INFO = b"dpa-registry mail outbox v1"
DELIVERER = "mail_deliverer"  # app.extensions key of this process's delivery thread, if any
_outcome_recorders = {}  # purpose -> function(row, error) recording what the delivery means


def envelope_recipients(message):
    """Return the addresses in the message's To, Cc and Bcc headers, in order, once each."""
    addresses = []
    for header in ("To", "Cc", "Bcc"):
        if message[header] is not None:
            addresses.extend(address.addr_spec for address in message[header].addresses)
    return list(dict.fromkeys(addresses))


def enqueue(message, purpose):
    """Queue `message` for delivery in the current transaction; return its outbox row.

    `purpose` is a short label ("password reset") shown on the mail page and in logs; the
    content is never logged.
    """
    recipients = envelope_recipients(message)
    if not recipients:
        raise PermanentMailError("a message needs at least one recipient")
    if message["Message-ID"] is None:  # the delivery record and a resend need one
        message["Message-ID"] = make_msgid(domain=sender_domain())
    with write_transaction():
        row = MailMessage.create(message_id=str(message["Message-ID"]), purpose=purpose[:60],
                                 recipients=recipients, content=seal(message.as_bytes()),
                                 next_attempt_at=utcnow())
    _wakeup.after_commit()
    return row


def _fernet():
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                   info=SEAL_INFO).derive(current_app.config["SECRET_KEY"].encode())
    return Fernet(base64.urlsafe_b64encode(derived))


def seal(content):
    """Encrypt a queued message for the time it waits: it may carry a reset or invitation link,
    and a copy of the database (a backup, a dump) must not hand those out."""
    return _fernet().encrypt(content)


def unseal(content):
    """Return the message bytes `seal` stored; PermanentMailError when the key has changed."""
    try:
        return _fernet().decrypt(bytes(content))
    except InvalidToken:
        raise PermanentMailError("the queued message cannot be decrypted with this "
                                 "REGISTRY_SECRET_KEY (it was changed while the message "
                                 "waited)") from None


def send_or_log(message, what):
    """Queue `message` in the current transaction; on a refusal log it and return False.

    Call it inside the transaction of the change the message tells about (invitations,
    review outcomes), so that both commit or neither does. The message is delivered later,
    outside any request; the refusal logged here is only a message that cannot be queued
    (no recipient), by the kind of error, never the content.
    """
    try:
        enqueue(message, what)
    except MailError as error:
        log.warning("could not queue the %s e-mail: %s", what, type(error).__name__)
        return False
    return True


def records_outcome(purpose):
    """Register `function(row, error)` to record the outcome of `purpose`'s messages.

    It runs inside the transaction that marks a message sent (`error` None) or failed for good
    (`error` the reason), so an area can keep its own delivery record (an engagement's
    `notice_sent_at`, say) exactly in step with the outbox.
    """
    def register(function):
        _outcome_recorders[purpose] = function
        return function

    return register


def record_outcome(row, error=None):
    """Call the recorder registered for `row.purpose`, if any (delivery calls it)."""
    recorder = _outcome_recorders.get(row.purpose)
    if recorder is not None:
        recorder(row, error)


def _ask_worker():
    from registry import tasks

    tasks.kick_mail_delivery()


_wakeup = Wakeup("mail", DELIVERER, "MAIL_DELIVERY", _ask_worker)
kick = _wakeup.now  # have the queued mail delivered soon
init_app = _wakeup.init_app  # kick at the end of every request that queued mail


def status_counts():
    """Return {status: number of messages} for every status."""
    counts = dict.fromkeys(MAIL_STATUSES, 0)
    query = (MailMessage
             .select(MailMessage.status, fn.COUNT(MailMessage.id).alias("message_count"))
             .group_by(MailMessage.status))
    for row in query:
        counts[row.status] = row.message_count
    return counts


def oldest_queued_age():
    """Return how long the oldest queued message has waited (a timedelta), or None."""
    oldest = (MailMessage
              .select(fn.MIN(MailMessage.created_at))
              .where(MailMessage.status == "queued")
              .scalar())
    return max(utcnow() - oldest, timedelta(0)) if oldest else None


def failed_count():
    """Return how many messages were given up (shown to admins on the dashboard)."""
    return MailMessage.select().where(MailMessage.status == "failed").count()


def message_page(status=None, page=1, per_page=50):
    """Return (messages newest first, total, page shown, page count); content is not read."""
    query = MailMessage.select(*[field for field in MailMessage._meta.sorted_fields
                                 if field is not MailMessage.content])
    if status in MAIL_STATUSES:
        query = query.where(MailMessage.status == status)
    total = query.count()
    pages = max((total + per_page - 1) // per_page, 1)
    page = min(max(page, 1), pages)
    rows = query.order_by(MailMessage.created_at.desc(), MailMessage.id.desc())
    return list(rows.paginate(page, per_page)), total, page, pages
