"""Delivering recorded notices, never inside the request: the mail outbox or the huey worker.

The request records the notice (one transaction). Up to INLINE_LIMIT messages it composes them
and queues them in the mail outbox (`registry.mail.outbox`), whose delivery records the
engagement's (`record_outbox_outcome`). A notice to every controller can mean thousands of
messages, more than a request may compose: above INLINE_LIMIT it enqueues `deliver_notices`,
and the worker composes and sends them. Either way the engagement ends with `notice_sent_at`
once every message went out, or `notice_error` with *Send the notice again*.
"""

import logging
import re
from itertools import groupby

from registry import audit, tasks
from registry.checks import current_snapshot
from registry.clock import local_today
from registry.db import write_transaction
from registry.engagements.notices import NoticeError, message_for, plan_notices, send_notices
from registry.mail import enqueue, outbox
from registry.models import Engagement, MailMessage, Subcontractor, User, utcnow
from registry.settings.store import load_settings

INLINE_LIMIT = 20
OUTBOX_PURPOSE = "engagement notice"
# notices.message_for's stable Message-ID: <engagement-notice-ENGAGEMENT-CONTROLLER-DATE@...>
NOTICE_MESSAGE_ID = re.compile(r"<engagement-notice-(\d+)-")
log = logging.getLogger(__name__)


def deliver(notices, subcontractor, actor):
    """Queue `notices` in the mail outbox, or for the worker when more than INLINE_LIMIT:
    nothing is sent within the request."""
    if len(notices) <= INLINE_LIMIT:
        queue_in_outbox(notices, subcontractor, actor)
    else:
        queue_delivery(sorted({notice.engagement_id for notice in notices}), actor)


def queue_in_outbox(notices, subcontractor, actor):
    """Mark the engagements' notices as pending and queue one message per notice."""
    settings = load_settings()
    with write_transaction():
        Engagement.update(notice_sent_at=None, notice_error="").where(
            Engagement.id.in_({notice.engagement_id for notice in notices})).execute()
        for notice in notices:
            enqueue(message_for(notice, subcontractor, settings,
                                reply_to=getattr(actor, "email", None)), OUTBOX_PURPOSE)


@outbox.records_outcome(OUTBOX_PURPOSE)
def record_outbox_outcome(row, error):
    """Record an engagement's delivery as its outbox messages go out or fail (same transaction).

    The notice counts as e-mailed once none of its messages waits and none failed; a message
    that failed for good records why, for *Send the notice again*.
    """
    match = NOTICE_MESSAGE_ID.match(row.message_id)
    if match is None:
        return
    engagement_id = int(match.group(1))
    if error is not None:
        text = f"The notice to {', '.join(row.recipients)} failed: {error}"
        Engagement.update(notice_error=text[:2000]).where(
            Engagement.id == engagement_id).execute()
        audit.record("engagement.notice_failed", ("engagement", engagement_id), text[:500],
                     {"message_id": row.message_id}, actor="system")
        return
    waiting = MailMessage.select().where(
        (MailMessage.purpose == OUTBOX_PURPOSE) & (MailMessage.status == "queued")
        & MailMessage.message_id.startswith(f"<engagement-notice-{engagement_id}-")).exists()
    if waiting:
        return
    recorded = Engagement.update(notice_sent_at=utcnow()).where(
        (Engagement.id == engagement_id) & Engagement.notice_sent_at.is_null()
        & (Engagement.notice_error == "")).execute()
    if recorded:
        audit.record("engagement.notice_sent", ("engagement", engagement_id),
                     "Notice e-mailed to every controller", {"last_message_id": row.message_id},
                     actor="system")


def queue_delivery(engagement_ids, actor):
    """Mark the engagements' notices as pending and enqueue their delivery."""
    with write_transaction():
        Engagement.update(notice_sent_at=None, notice_error="").where(
            Engagement.id.in_(engagement_ids)).execute()
    tasks.prepare_storage(tasks.huey)  # the web process may enqueue before any worker ran
    deliver_notices(list(engagement_ids), getattr(actor, "id", None))


def _pending(engagement_ids):
    return list(Engagement
                .select(Engagement, Subcontractor)
                .join(Subcontractor)
                .where(Engagement.id.in_(engagement_ids)
                       & Engagement.notified_on.is_null(False)
                       & Engagement.withdrawn_on.is_null()
                       & Engagement.notice_sent_at.is_null()
                       & (Engagement.notice_error == ""))
                .order_by(Engagement.subcontractor, Engagement.id))


def _record_failure(engagements, text):
    with write_transaction():
        Engagement.update(notice_error=text[:2000]).where(
            Engagement.id.in_([engagement.id for engagement in engagements])).execute()


@tasks.huey.task(name="engagements.deliver_notices")
def deliver_notices(engagement_ids, actor_id):
    """Send the pending notices of `engagement_ids` and record their delivery (worker job)."""
    with tasks.app_context():
        actor = User.get_or_none(User.id == actor_id) if actor_id else None
        facts = current_snapshot().facts
        for _subcontractor_id, group in groupby(_pending(engagement_ids),
                                                key=lambda row: row.subcontractor_id):
            engagements = list(group)
            try:
                planned = plan_notices(engagements, facts, local_today())
            except NoticeError as error:
                _record_failure(engagements, f"The notice was not sent: {error}")
                continue
            try:
                failures = send_notices(planned, engagements[0].subcontractor, actor or "worker")
            except Exception as error:
                _record_failure(engagements, f"The delivery stopped ({type(error).__name__}); "
                                "some controllers may not have the e-mail.")
                raise
            log.info("notices about %s: %d messages, %d engagements with failures",
                     engagements[0].subcontractor.name, len(planned), len(failures))
