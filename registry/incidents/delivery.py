"""Delivering queued notice e-mails from the worker, never inside a request.

The request that sends a notice records one IncidentMessage per controller and enqueues
`deliver_messages`; the worker mails each through one SMTP session and records, message by
message, `sent_at` and the Message-ID, or the error. The first message delivered to a controller
is its notice: the notice's `notified_at` and recipients come from it. A message that failed
stays failed until someone sends the notice again (a new message).
"""

import logging
from collections import Counter

from registry import audit, tasks
from registry.db import write_transaction
from registry.incidents.notices import message_for, staff_alert_for
from registry.mail import MailError, send, session
from registry.models import (
    Controller,
    Incident,
    IncidentMessage,
    IncidentNotice,
    Subcontractor,
    User,
    utcnow,
)
from registry.settings.store import load_settings

log = logging.getLogger(__name__)


def enqueue(message_ids):
    """Hand the messages to the worker (after the transaction that recorded them committed)."""
    if message_ids:
        tasks.prepare_storage(tasks.huey)  # the web process may enqueue before any worker ran
        deliver_messages(list(message_ids))


def _pending(message_ids):
    return list(IncidentMessage
                .select(IncidentMessage, IncidentNotice, Incident, Controller)
                .join(IncidentNotice)
                .join(Incident)
                .switch(IncidentNotice)
                .join(Controller)
                .where(IncidentMessage.id.in_(list(message_ids))
                       & IncidentMessage.sent_at.is_null()
                       & (IncidentMessage.error == ""))
                .order_by(IncidentMessage.id))


def _follow_up_numbers(messages):
    """Return {message id: its follow-up's number for that controller (1, 2 ...)}."""
    notices = {message.notice_id for message in messages if message.kind == "follow_up"}
    numbers, seen = {}, Counter()
    query = (IncidentMessage.select(IncidentMessage.id, IncidentMessage.notice)
             .where(IncidentMessage.notice.in_(list(notices))
                    & (IncidentMessage.kind == "follow_up"))
             .order_by(IncidentMessage.id))
    for row in query if notices else ():
        seen[row.notice_id] += 1
        numbers[row.id] = seen[row.notice_id]
    return numbers


def _record_sent(message, message_id):
    with write_transaction():
        now = utcnow()
        IncidentMessage.update(sent_at=now, message_id=message_id, error="").where(
            IncidentMessage.id == message.id).execute()
        notice = message.notice
        if message.kind == "initial":
            IncidentNotice.update(notified_at=now, recipients=list(message.recipients)).where(
                (IncidentNotice.id == notice.id) & IncidentNotice.notified_at.is_null()).execute()
        what = "notice" if message.kind == "initial" else "follow-up"
        audit.record(f"incident.{what.replace('-', '_')}_sent", ("incident", notice.incident_id),
                     f"Incident {notice.incident.reference}: {what} e-mailed to "
                     f"{notice.controller.name}",
                     {"controller": notice.controller_id, "recipients": list(message.recipients),
                      "message_id": message_id}, actor="worker")


def _record_failure(message, error):
    text = str(error)[:2000] or type(error).__name__
    with write_transaction():
        IncidentMessage.update(error=text).where(IncidentMessage.id == message.id).execute()
        notice = message.notice
        audit.record("incident.message_failed", ("incident", notice.incident_id),
                     f"Incident {notice.incident.reference}: e-mail to "
                     f"{notice.controller.name} failed", {"controller": notice.controller_id,
                                                          "error": text[:500]}, actor="worker")


def _reporters(messages):
    ids = {message.notice.incident.subcontractor_id for message in messages} - {None}
    return {row.id: row for row in Subcontractor.select().where(Subcontractor.id.in_(list(ids)))}


@tasks.huey.task(name="incidents.deliver_messages")
def deliver_messages(message_ids):
    """Mail the queued notice e-mails `message_ids` and record their delivery (worker job)."""
    with tasks.app_context():
        messages = _pending(message_ids)
        if not messages:
            return
        settings, numbers, reporters = (load_settings(), _follow_up_numbers(messages),
                                        _reporters(messages))
        sent = 0
        with session() as connection:
            for message in messages:
                notice, incident = message.notice, message.notice.incident
                incident.subcontractor = reporters.get(incident.subcontractor_id)
                try:
                    mail = message_for(message, notice, incident, notice.controller, settings,
                                       numbers.get(message.id))
                    connection.send(mail)
                except MailError as error:
                    _record_failure(message, error)
                    continue
                _record_sent(message, str(mail["Message-ID"]))
                sent += 1
        log.info("incident notices: %d sent, %d failed", sent, len(messages) - sent)


def enqueue_staff_alert(incident_id):
    """Have the worker tell legal staff of a subcontractor's report (after it committed)."""
    tasks.prepare_storage(tasks.huey)
    tell_staff(incident_id)


@tasks.huey.task(name="incidents.tell_staff")
def tell_staff(incident_id):
    """E-mail legal staff that a subcontractor reported a breach, with each deadline (worker)."""
    with tasks.app_context():
        incident = (Incident.select(Incident, Subcontractor).join(Subcontractor)
                    .where(Incident.id == incident_id).first())
        recipients = [user.email for user in User.select(User.email)
                      .where(User.role.in_(("legal", "admin")) & User.is_active)
                      .order_by(User.email)]
        if incident is None or not recipients:
            log.warning("report of incident %s: nobody to tell", incident_id)
            return
        notices = list(IncidentNotice.select(IncidentNotice, Controller).join(Controller)
                       .where(IncidentNotice.incident == incident)
                       .order_by(IncidentNotice.due_at, Controller.name))
        try:
            send(staff_alert_for(incident, notices, recipients))
        except MailError as error:
            log.warning("report of incident %s: staff e-mail failed (%s)", incident_id,
                        type(error).__name__)
            return
        with write_transaction():
            audit.record("incident.staff_alerted", incident,
                         f"Legal staff told of {incident.subcontractor.name}'s report "
                         f"{incident.reference}", {"recipients": len(recipients)},
                         actor="worker")
