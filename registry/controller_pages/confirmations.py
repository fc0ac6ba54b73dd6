"""Objections and instruction confirmations made on a controller's page, confirmed by e-mail.

Whoever holds the page's link may ask; only a privacy contact on record can confirm. Asking
writes one single-use confirmation per privacy contact (72 hours) and mails each its own
link (queued with the rows, `registry.mail.send_or_log`); the first one used ends the others.
Confirming applies the request in one transaction with its audit events, through the same
operation legal staff use (`registry.engagements.operations.record_objection`), so the rules
and the engine's verdict are the same as for an objection typed in by hand. An objection
counts on the day it is confirmed: after the deadline it is recorded and flagged for review
(the engine's `engagement_late_objection`), not applied.
"""

import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask_babel import lazy_gettext as _l

from registry import audit
from registry.clock import local_today
from registry.controller_pages import tokens
from registry.db import write_transaction
from registry.engagements.operations import EngagementError, record_objection
from registry.i18n import company_language
from registry.mail import compose, external_url, send_or_log
from registry.models import ControllerConfirmation, Engagement, User, utcnow

log = logging.getLogger(__name__)
VALID_HOURS = 72
KIND_LABELS = {
    "objection": "objection",
    "late_objection": "late objection",
    "instruction": "instruction confirmation",
}


class ConfirmationError(Exception):
    """A request or confirmation that cannot be made; the message says why."""


@dataclass(frozen=True)
class Outcome:
    """What a confirmation did, for the page that tells the visitor."""

    kind: str
    subject: str
    engagement: Engagement | None = None


def request_confirmation(controller, kind, reason, engagement=None, instruction=None):
    """Record the request and mail each privacy contact a link to confirm it; return the
    number of addresses written to."""
    if not controller.privacy_contacts:
        raise ConfirmationError("No privacy contact is on record to confirm this. Write to "
                                "your contact at the processor instead.")
    request_key = secrets.token_hex(16)
    expires_at = utcnow() + timedelta(hours=VALID_HOURS)
    subject = _subject(kind, engagement, instruction)
    with write_transaction():
        for address in controller.privacy_contacts:
            token = tokens.new_token()
            ControllerConfirmation.create(
                request_key=request_key, controller=controller.id, kind=kind,
                engagement=engagement, instruction=instruction, reason=reason, email=address,
                token_hash=tokens.token_hash(token), expires_at=expires_at)
            send_or_log(compose([address], _l("Please confirm: %(what)s", what=subject),
                                "controller_pages/confirm", kind=kind, what=subject,
                                language=company_language(controller),
                                link=external_url("controller_pages.confirm", token=token),
                                reason=reason, controller=controller, hours=VALID_HOURS),
                        "controller confirmation")
        audit.record(f"controller_page.{kind}_requested", controller,
                     f"{KIND_LABELS[kind].capitalize()} asked for on {controller.name}'s page; "
                     "confirmation e-mailed to its privacy contacts",
                     {"engagement": engagement.id if engagement else None,
                      "instruction": instruction.id if instruction else None,
                      "recipients": len(controller.privacy_contacts)}, actor="controller page")
    return len(controller.privacy_contacts)


def _subject(kind, engagement, instruction):
    if kind == "instruction":
        return f"the instruction “{instruction.title}” (version {instruction.version})"
    name = engagement.subcontractor.name
    return f"{'a late ' if kind == 'late_objection' else 'an '}objection to {name}"


def find_confirmation(token):
    """Return the unused, unexpired confirmation for `token`, or None."""
    if not tokens.plausible(token):
        return None
    return ControllerConfirmation.get_or_none(
        (ControllerConfirmation.token_hash == tokens.token_hash(token))
        & ControllerConfirmation.used_at.is_null()
        & (ControllerConfirmation.expires_at > utcnow()))


def confirm(confirmation):
    """Apply a confirmation once (the first of its request to arrive); return its Outcome.

    Raise ConfirmationError when it was used up meanwhile or can no longer be applied.
    """
    controller = confirmation.controller
    who = f"{confirmation.email} (privacy contact of {controller.name})"
    with write_transaction():
        now = utcnow()
        used = (ControllerConfirmation.update(used_at=now)
                .where((ControllerConfirmation.request_key == confirmation.request_key)
                       & ControllerConfirmation.used_at.is_null())
                .execute())
        if not used:
            raise ConfirmationError("This confirmation was used already.")
        ControllerConfirmation.update(confirmed_at=now).where(
            ControllerConfirmation.id == confirmation.id).execute()
        outcome = _apply(confirmation, controller, who)
        _tell_staff(confirmation, outcome)
    return outcome


def _apply(confirmation, controller, who):
    if confirmation.kind == "instruction":
        instruction = confirmation.instruction
        audit.record("instruction.controller_confirmed", instruction,
                     f"{controller.name} confirmed instruction “{instruction.title}” "
                     f"version {instruction.version} is the one it gave",
                     {"confirmed_by": confirmation.email}, actor=who)
        return Outcome("instruction", _subject("instruction", None, instruction))
    note = (f"Objected on the controller's page; confirmed by {confirmation.email}. "
            f"Reason: {confirmation.reason}")
    try:
        objected = record_objection(confirmation.engagement, local_today(), note, who,
                                    controller=controller)
    except EngagementError as error:
        raise ConfirmationError(str(error)) from None
    return Outcome(confirmation.kind, _subject(confirmation.kind, confirmation.engagement, None),
                   objected)


def _tell_staff(confirmation, outcome):
    recipients = [user.email for user in User.select(User.email)
                  .where(User.role.in_(("legal", "admin")) & User.is_active)
                  .order_by(User.email)]
    if not recipients:
        log.warning("controller confirmation %s: no legal staff to tell", confirmation.id)
        return
    controller = confirmation.controller
    link = (external_url("engagements.show_engagement", engagement_id=outcome.engagement.id)
            if outcome.engagement else
            external_url("instructions.show_instruction",
                         instruction_id=confirmation.instruction_id))
    send_or_log(compose(recipients, _l("%(name)s confirmed %(what)s", name=controller.name,
                                       what=outcome.subject),
                        "controller_pages/staff_notice", confirmation=confirmation,
                        outcome=outcome, controller=controller, link=link),
                "controller confirmation staff notice")
