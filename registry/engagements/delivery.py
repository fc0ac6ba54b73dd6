"""Delivering recorded notices: at once when they are few, through the huey worker when many.

A notice to every controller can mean thousands of messages, which takes longer than a web
request may. The request records the notice (one transaction) and, above INLINE_LIMIT
messages, enqueues `deliver_notices`; the worker sends the engagements' pending notices and
records their delivery (`notice_sent_at`, or `notice_error` with *Send the notice again*).
"""

import logging
from itertools import groupby

from registry import tasks
from registry.checks import current_snapshot
from registry.clock import local_today
from registry.db import write_transaction
from registry.engagements.notices import NoticeError, plan_notices, send_notices
from registry.models import Engagement, Subcontractor, User

INLINE_LIMIT = 20
log = logging.getLogger(__name__)


def deliver(notices, subcontractor, actor):
    """Send `notices` now, or queue them when there are more than INLINE_LIMIT.

    Return (failures, queued): {engagement id: error text} for the messages sent now, and
    whether the delivery was left to the worker.
    """
    if len(notices) <= INLINE_LIMIT:
        return send_notices(notices, subcontractor, actor), False
    queue_delivery(sorted({notice.engagement_id for notice in notices}), actor)
    return {}, True


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
