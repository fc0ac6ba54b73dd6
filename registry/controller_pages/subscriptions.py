"""E-mail subscriptions to the public sub-processor page: double opt-in, one-click unsubscribe.

Subscribing never tells whether the address is known (the page always answers alike) and
mails at most one confirmation an hour per address. Once confirmed, a subscriber gets one
e-mail a day listing the changes of the days since its last one, up to yesterday, so that a
day's changes are complete when they are mailed (`send_changes`: the worker tries hourly,
`dpa-registry controllers send-changes` by hand); each carries `List-Unsubscribe` and
`List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058) with a link that works without
signing in or any form token.
"""

from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from huey import crontab

from registry import audit, tasks
from registry.clock import local_today, utc_now
from registry.controller_pages import tokens
from registry.controller_pages.public import public_changes
from registry.db import write_transaction
from registry.mail import compose, external_url, send_or_log
from registry.models import SubprocessorSubscription, utcnow
from registry.reports.snapshot import take_snapshot

CONFIRM_HOURS = 72
RESEND_AFTER = timedelta(hours=1)
UNSUBSCRIBE = "unsubscribe"


def _open(email):
    return list(SubprocessorSubscription.select()
                .where((SubprocessorSubscription.email == email)
                       & SubprocessorSubscription.unsubscribed_at.is_null())
                .order_by(SubprocessorSubscription.id))


def subscribe(email):
    """Mail `email` a link to confirm its subscription, unless it is subscribed or was sent
    one within the hour."""
    now = utcnow()
    with write_transaction():
        rows = _open(email)
        if any(row.confirmed_at for row in rows):
            return
        pending = rows[0] if rows else None
        if pending is not None and pending.requested_at > now - RESEND_AFTER:
            return
        token = tokens.new_token()
        if pending is None:
            pending = SubprocessorSubscription.create(
                email=email, confirm_token_hash=tokens.token_hash(token), requested_at=now)
        else:
            SubprocessorSubscription.update(confirm_token_hash=tokens.token_hash(token),
                                            requested_at=now).where(
                SubprocessorSubscription.id == pending.id).execute()
        audit.record("subscription.requested", pending,
                     "Subscription to sub-processor changes asked for; confirmation e-mailed",
                     actor="public page")
        send_or_log(compose([email], _l("Confirm your subscription to sub-processor changes"),
                            "controller_pages/subscription_confirm", hours=CONFIRM_HOURS,
                            link=external_url("public_subprocessors.confirm_subscription",
                                              token=token)),
                    "subscription confirmation")


def find_pending(token):
    """Return the unconfirmed, unexpired subscription of a confirmation token, or None."""
    if not tokens.plausible(token):
        return None
    return SubprocessorSubscription.get_or_none(
        (SubprocessorSubscription.confirm_token_hash == tokens.token_hash(token))
        & SubprocessorSubscription.confirmed_at.is_null()
        & SubprocessorSubscription.unsubscribed_at.is_null()
        & (SubprocessorSubscription.requested_at > utcnow() - timedelta(hours=CONFIRM_HOURS)))


def confirm(subscription):
    """Start the subscription: changes from today on are mailed. Return False if used meanwhile."""
    with write_transaction():
        started = (SubprocessorSubscription
                   .update(confirmed_at=utcnow(), confirm_token_hash=None,
                           last_sent_on=local_today() - timedelta(days=1))
                   .where((SubprocessorSubscription.id == subscription.id)
                          & SubprocessorSubscription.confirmed_at.is_null())
                   .execute())
        if started:
            audit.record("subscription.confirmed", subscription,
                         "Subscription to sub-processor changes confirmed", actor="public page")
    return bool(started)


def unsubscribe_token(subscription_id):
    """Return the one-click unsubscribe token of a subscription."""
    return tokens.signed_id(UNSUBSCRIBE, subscription_id)


def find_by_unsubscribe_token(token):
    """Return the subscription an unsubscribe token names (ended or not), or None."""
    subscription_id = tokens.read_signed_id(UNSUBSCRIBE, token)
    if subscription_id is None:
        return None
    return SubprocessorSubscription.get_or_none(SubprocessorSubscription.id == subscription_id)


def unsubscribe(subscription):
    """End the subscription (again is harmless)."""
    with write_transaction():
        ended = (SubprocessorSubscription.update(unsubscribed_at=utcnow())
                 .where((SubprocessorSubscription.id == subscription.id)
                        & SubprocessorSubscription.unsubscribed_at.is_null())
                 .execute())
        if ended:
            audit.record("subscription.ended", subscription,
                         "Subscription to sub-processor changes ended", actor="public page")


def _message(subscription, changes):
    link = external_url("public_subprocessors.unsubscribe",
                        token=unsubscribe_token(subscription.id))
    message = compose([subscription.email], _l("Changes to our sub-processors"),
                      "controller_pages/changes", changes=changes, unsubscribe_link=link,
                      page_link=external_url("public_subprocessors.show_list"))
    message["List-Unsubscribe"] = f"<{link}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return message


def send_changes(today):
    """Mail each subscriber the changes after its last e-mail up to the day before `today`;
    return how many were mailed. Running again on the same day mails nothing more."""
    if not current_app.config["PUBLIC_SUBPROCESSORS"]:
        return 0
    until = today - timedelta(days=1)
    found = [change for change in public_changes(take_snapshot(today, generated_at=utc_now()))
             if change.day <= until]
    due = (SubprocessorSubscription.select()
           .where(SubprocessorSubscription.confirmed_at.is_null(False)
                  & SubprocessorSubscription.unsubscribed_at.is_null()
                  & (SubprocessorSubscription.last_sent_on < until)))
    mailed = 0
    for subscription in due:
        new = [change for change in found if subscription.last_sent_on < change.day]
        with write_transaction():
            claimed = (SubprocessorSubscription.update(last_sent_on=until)
                       .where((SubprocessorSubscription.id == subscription.id)
                              & (SubprocessorSubscription.last_sent_on
                                 == subscription.last_sent_on))
                       .execute())
            if claimed and new:
                send_or_log(_message(subscription, new), "sub-processor changes")
                mailed += 1
    return mailed


@tasks.huey.periodic_task(crontab(minute="35"), name="subprocessors.send_changes")
def send_changes_hourly():
    """Mail the public page's subscribers yesterday's changes (worker, hourly; once a day)."""
    with tasks.app_context():
        send_changes(local_today())
