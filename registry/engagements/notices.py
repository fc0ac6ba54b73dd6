"""Telling controllers about a new sub-processor (Art. 28(2)): plan, record, then mail.

1. `plan_notices` works out, per controller, who receives the notice and until when the
   controller may object (`registry.compliance.objection_deadline`, from its current DPA).
2. `record_notices` stores the notice (date, recipients, deadline) with its audit event in one
   transaction; an engagement notified meanwhile by someone else is left alone.
3. `send_notices` mails one message per controller after the commit, through one SMTP session,
   and records the delivery (sent, or what failed) in a second transaction.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l

from registry import audit
from registry.compliance import (
    TRANSFER_MECHANISMS,
    EngagementFacts,
    current_dpa,
    objection_deadline,
)
from registry.controller_pages.links import mail_url as controller_page_url
from registry.db import write_transaction
from registry.editing import check_version, lock
from registry.formatting import counted
from registry.i18n import company_language
from registry.mail import MailError, compose, session
from registry.models import Controller, Engagement, utcnow
from registry.settings.store import load_settings
from registry.subcontractors.countries import country_label, outside_eea

# Under specific authorisation (or without a DPA in force) there is no objection period: the
# notice asks for written approval by this many days, or by the DPA's objection period.
DEFAULT_ANSWER_DAYS = 30
MAX_NAMED = 5


class NoticeError(Exception):
    """A notice that cannot be sent; the message says what to fix first."""


@dataclass(frozen=True)
class Notice:
    """One controller's notice about one engagement."""

    engagement_id: int
    controller_id: int
    controller_name: str
    recipients: tuple
    notified_on: date
    deadline: date | None
    authorisation: str | None
    period_days: int | None
    language: str = "en"  # the controller's (registry.i18n.company_language)

    @property
    def asks_for_approval(self):
        """Tell whether the controller must approve in writing (no objection period runs)."""
        return self.authorisation != "general"


def _facts(engagement, notified_on):
    return EngagementFacts(id=engagement.id, subcontractor_id=engagement.subcontractor_id,
                           controller_id=engagement.controller_id, notified_on=notified_on,
                           objection_deadline=engagement.objection_deadline)


def _notice(engagement, controller, dpa, notified_on):
    deadline = objection_deadline(_facts(engagement, notified_on), dpa, notified_on)
    if deadline is None:
        if engagement.controller_id is not None and engagement.objection_deadline:
            deadline = engagement.objection_deadline
        else:
            days = dpa.objection_period_days if dpa else DEFAULT_ANSWER_DAYS
            deadline = notified_on + timedelta(days=days)
    return Notice(
        engagement_id=engagement.id, controller_id=controller.id,
        controller_name=controller.name, recipients=tuple(controller.privacy_contacts),
        notified_on=notified_on, deadline=deadline,
        authorisation=dpa.subprocessor_authorisation if dpa else None,
        period_days=dpa.objection_period_days if dpa else None,
        language=company_language(controller),
    )


def _controllers_for(engagements):
    wanted = {engagement.controller_id for engagement in engagements}
    query = Controller.select().where(Controller.status == "active")
    if None not in wanted:
        query = query.where(Controller.id.in_(list(wanted)))
    return list(query.order_by(Controller.name, Controller.id))


def plan_notices(engagements, facts, today):
    """Return the notices for `engagements`, one per controller (every active one for scope all).

    Raise NoticeError when a controller has no privacy contact to send the notice to.
    """
    dpas = defaultdict(list)
    for dpa in facts.dpas:
        dpas[dpa.controller_id].append(dpa)
    controllers = _controllers_for(engagements)
    by_id = {controller.id: controller for controller in controllers}
    notices = []
    for engagement in engagements:
        targets = (controllers if engagement.controller_id is None
                   else [by_id[engagement.controller_id]] if engagement.controller_id in by_id
                   else [])
        notified_on = engagement.notified_on or today
        notices.extend(_notice(engagement, controller,
                               current_dpa(dpas[controller.id], notified_on), notified_on)
                       for controller in targets)
    lacking = sorted({notice.controller_name for notice in notices if not notice.recipients})
    if lacking:
        named = ", ".join(lacking[:MAX_NAMED]) + (
            f" and {len(lacking) - MAX_NAMED} more" if len(lacking) > MAX_NAMED else "")
        raise NoticeError(f"No privacy contact to notify at {named}. Add the controller's "
                          "privacy contact first.")
    if not notices:
        raise NoticeError("There is no active controller to notify.")
    return notices


def _grouped(notices):
    grouped = defaultdict(list)
    for notice in notices:
        grouped[notice.engagement_id].append(notice)
    return grouped


def record_notices(subcontractor, engagements, notices, actor, seen_version=None):
    """Record each engagement's notice; return the notices of the engagements recorded now.

    `engagements` are the subcontractor's; one that was notified or withdrawn meanwhile is
    skipped, so a double submission never notifies twice. With `seen_version` (one engagement,
    from an API client's If-Match) the engagement is locked and refused with StaleEdit when it
    changed since that version.
    """
    grouped = _grouped(notices)
    recorded = []
    with write_transaction():
        for engagement in engagements:
            mine = grouped.get(engagement.id, [])
            if not mine:
                continue
            if seen_version is not None:
                check_version(lock(Engagement, engagement.id), seen_version,
                              f"Engagement #{engagement.id}")
            recipients = sorted({address for notice in mine for address in notice.recipients},
                                key=str.lower)
            deadline = mine[0].deadline if engagement.controller_id is not None else None
            changed = (Engagement
                       .update(notified_on=mine[0].notified_on, objection_deadline=deadline,
                               notice_recipients=recipients, notice_sent_at=None,
                               notice_error="", updated_at=utcnow(),
                               # a form or API client holding the earlier version is stale now
                               row_version=Engagement.row_version + 1)
                       .where((Engagement.id == engagement.id)
                              & Engagement.notified_on.is_null()
                              & Engagement.withdrawn_on.is_null())
                       .execute())
            if not changed:
                continue
            audit.record("engagement.notified", ("engagement", engagement.id),
                         _summary(subcontractor, engagement, mine),
                         {"before": {"notified_on": None, "objection_deadline": None,
                                     "notice_recipients": list(engagement.notice_recipients)},
                          "after": {"notified_on": mine[0].notified_on.isoformat(),
                                    "objection_deadline": deadline.isoformat() if deadline
                                    else None, "notice_recipients": recipients},
                          "controllers": len(mine)},
                         actor=actor)
            recorded.extend(mine)
    return recorded


def _summary(subcontractor, engagement, notices):
    who = (notices[0].controller_name if engagement.controller_id is not None
           else f"all {len(notices)} controllers")
    return f"Notified {who} of sub-processor {subcontractor.name}"


def message_for(notice, subcontractor, settings, reply_to=None):
    """Return the notice e-mail to one controller's privacy contacts."""
    mechanism = subcontractor.transfer_mechanism
    subject = (_l("Approval requested: new sub-processor %(name)s", name=subcontractor.name)
               if notice.asks_for_approval
               else _l("New sub-processor %(name)s: you may object until %(day)s",
                       name=subcontractor.name, day=notice.deadline.isoformat()))
    return compose(
        list(notice.recipients), subject, "engagements/notice", reply_to=reply_to,
        language=notice.language, settings=settings,
        message_id=f"engagement-notice-{notice.engagement_id}-{notice.controller_id}-"
                   f"{notice.notified_on.isoformat()}",
        notice=notice, subcontractor=subcontractor,
        processor_name=settings["processor_name"] or "your processor",
        processor_contact=settings["processor_contact"],
        country=country_label(subcontractor.country),
        locations=[country_label(code) for code in subcontractor.processing_countries],
        outside_eea=outside_eea([subcontractor.country, *subcontractor.processing_countries]),
        mechanism=TRANSFER_MECHANISMS.get(mechanism, mechanism) if mechanism else None,
        # A second tier is named with the sub-processor that engages it (Art. 28(2), (4)).
        engaged_by=subcontractor.parent.name if subcontractor.parent_id else None,
        page_link=controller_page_url(notice.controller_id),
    )


def send_notices(notices, subcontractor, actor):
    """Mail each notice, then record per engagement whether every message went out.

    Return {engagement id: error text} for the engagements whose notice failed (empty: all sent).
    """
    settings = load_settings()
    failures = defaultdict(list)
    with session() as connection:
        for notice in notices:
            try:
                connection.send(message_for(notice, subcontractor, settings,
                                            reply_to=getattr(actor, "email", None)))
            except MailError as error:
                failures[notice.engagement_id].append(f"{notice.controller_name}: {error}")
    _record_delivery(_grouped(notices), failures, actor)
    return {engagement_id: "; ".join(errors) for engagement_id, errors in failures.items()}


def _record_delivery(grouped, failures, actor):
    with write_transaction():
        for engagement_id, mine in grouped.items():
            errors = failures.get(engagement_id)
            if errors:
                text = (f"{len(errors)} of {counted(len(mine), 'notice')} failed: "
                        + "; ".join(errors))
                Engagement.update(notice_error=text[:2000]).where(
                    Engagement.id == engagement_id).execute()
                audit.record("engagement.notice_failed", ("engagement", engagement_id),
                             text[:500], {"failed": len(errors), "messages": len(mine)},
                             actor=actor)
            else:
                Engagement.update(notice_sent_at=utcnow(), notice_error="").where(
                    Engagement.id == engagement_id).execute()
                audit.record("engagement.notice_sent", ("engagement", engagement_id),
                             f"Notice e-mailed to {counted(len(mine), 'controller')}",
                             {"messages": len(mine)}, actor=actor)
