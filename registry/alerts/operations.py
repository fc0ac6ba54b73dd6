"""Sending due alerts exactly once: register keys, claim atomically, send after the commit.

1. Every planned alert is inserted with `on_conflict_ignore()`: its unique key exists once.
2. One UPDATE claims the pending rows that are due and not claimed by a live run (a claim older
   than LEASE belongs to a run that died); the rows are grouped into messages, each group gets
   its Message-ID, and the claim commits. A second run, thread or process finds nothing left.
3. Each message is sent after that commit; its outcome (sent, failed, or pending again with a
   backoff) and its AuditEvent are written in one transaction.
A run that dies after the SMTP server accepted a message but before step 3 committed leaves the
rows claimed with their Message-ID: after the lease the next run sends that message again, with
the same Message-ID (at-least-once; see docs/alerts.md).
"""

import hashlib
import json
import secrets
from dataclasses import dataclass, field
from datetime import timedelta

from flask import current_app
from peewee import Case

from registry import audit, checks
from registry.alerts import messages, planner, runs
from registry.clock import local_today
from registry.db import write_transaction
from registry.mail import (
    MailError,
    PermanentMailError,
    TemporaryMailError,
    session,
    stable_message_id,
)
from registry.models import Alert, User, utcnow
from registry.portal.invitations import invite_contact_after_reminder
from registry.sigterm import Terminated

LEASE = timedelta(hours=1)
FIRST_RETRY = timedelta(minutes=10)
LONGEST_RETRY = timedelta(hours=12)
CHUNK = 500


@dataclass
class MessageGroup:
    """Claimed alerts that travel in one message."""

    audience: str
    alerts: list
    message_id: str
    is_new: bool

    @property
    def ids(self):
        """Return the ids of the group's alerts."""
        return [alert.id for alert in self.alerts]


@dataclass
class RunReport:
    """What one run did: alerts registered, and messages sent, deferred or failed."""

    registered: int = 0
    sent: list = field(default_factory=list)
    deferred: list = field(default_factory=list)
    failed: list = field(default_factory=list)
    planned: list = field(default_factory=list)
    server_unreachable: bool = False

    @property
    def has_failures(self):
        """Tell whether a message failed for good (the command then exits 1)."""
        return bool(self.failed)


def backoff(attempts):
    """Return how long to wait before the next attempt after `attempts` failed ones."""
    # The exponent is capped: an audience nobody can receive is retried for months.
    return min(FIRST_RETRY * 3 ** min(max(attempts - 1, 0), 8), LONGEST_RETRY)


def assessment_and_facts(today=None, now=None):
    """Assess the registry as of `today` (its end) or the instant `now` (default: now) with the
    shared engine; return (assessment, facts)."""
    snapshot = checks.current_snapshot(today, now)
    return snapshot.assessment, snapshot.facts


def existing_keys(keys):
    """Return the subset of `keys` that already have an Alert row."""
    found = set()
    keys = list(keys)
    for start in range(0, len(keys), CHUNK):
        chunk = keys[start:start + CHUNK]
        found.update(key for (key,) in Alert.select(Alert.key).where(Alert.key.in_(chunk))
                     .tuples())
    return found


def register(due):
    """Insert the due alerts whose keys are new (a key inserted twice is ignored); count them."""
    known = existing_keys(alert.key for alert in due)
    new = [alert for alert in due if alert.key not in known]
    now = utcnow()
    rows = [{"key": alert.key, "audience": alert.audience, "subject_type": alert.subject_type,
             "subject_id": alert.subject_id, "kind": alert.kind, "threshold": alert.threshold,
             "due_on": alert.due_on, "details": json.dumps(alert.details, sort_keys=True),
             "status": "pending", "next_attempt_at": now, "created_at": now, "updated_at": now}
            for alert in new]
    with write_transaction():
        for start in range(0, len(rows), 200):
            Alert.insert_many(rows[start:start + 200]).on_conflict_ignore().execute()
    return len(new)


def _group(claimed):
    groups = {}
    for alert in claimed:
        groups.setdefault((alert.audience, alert.message_id), []).append(alert)
    result = []
    for (audience, message_id), alerts in groups.items():
        if message_id is None:
            digest = hashlib.sha256("\n".join(sorted(a.key for a in alerts)).encode())
            message_id = stable_message_id(f"alert-{digest.hexdigest()[:32]}")
        result.append(MessageGroup(audience, alerts, message_id, is_new=alerts[0].message_id
                                   is None))
    return result


def claim():
    """Claim every due pending alert for this run and group them into messages (committed)."""
    token, now = secrets.token_hex(16), utcnow()
    with write_transaction():
        (Alert.update(claim_token=token, claimed_at=now)
         .where((Alert.status == "pending")
                & (Alert.next_attempt_at <= now)
                & (Alert.claimed_at.is_null() | (Alert.claimed_at < now - LEASE)))
         .execute())
        groups = _group(Alert.select().where(Alert.claim_token == token).order_by(Alert.id))
        fresh = [(alert_id, group.message_id) for group in groups if group.is_new
                 for alert_id in group.ids]
        for start in range(0, len(fresh), CHUNK):
            chunk = fresh[start:start + CHUNK]
            (Alert.update(message_id=Case(Alert.id, chunk))
             .where(Alert.id.in_([alert_id for alert_id, _ in chunk])).execute())
    return groups


def _audit(action, group, summary, **details):
    audit.record(action, subject=("alert", group.alerts[0].id), summary=summary,
                 actor="system", details={"message_id": group.message_id,
                                          "audience": group.audience,
                                          "alert_ids": group.ids, **details})


def _record_sent(group, recipients, subject, invite=None):
    now = utcnow()
    with write_transaction():
        if invite is not None:  # the reminder announced it: the account and its e-mail now
            invite_contact_after_reminder(messages.subcontractor_id(group.audience), invite)
        (Alert.update(status="sent", sent_at=now, recipients=recipients, subject_line=subject,
                      attempts=Alert.attempts + 1, claim_token=None, claimed_at=None,
                      last_error="", updated_at=now)
         .where(Alert.id.in_(group.ids)).execute())
        _audit("alert.sent", group, f"Sent \u201c{subject}\u201d to {len(recipients)} "
               f"recipient{'s' if len(recipients) != 1 else ''}",
               recipient_count=len(recipients))


def _record_failed(group, error, recipients, subject):
    now = utcnow()
    with write_transaction():
        (Alert.update(status="failed", recipients=recipients, subject_line=subject,
                      attempts=Alert.attempts + 1, claim_token=None, claimed_at=None,
                      last_error=str(error), updated_at=now)
         .where(Alert.id.in_(group.ids)).execute())
        _audit("alert.failed", group, f"Not delivered: {error}", smtp_reply=error.code)


def _record_deferred(group, error, recipients, subject):
    now = utcnow()
    attempts = max(alert.attempts for alert in group.alerts) + 1
    with write_transaction():
        # The server did not take the message: the next attempt may regroup it freely.
        (Alert.update(status="pending", recipients=recipients, subject_line=subject,
                      attempts=Alert.attempts + 1, claim_token=None, claimed_at=None,
                      message_id=None, next_attempt_at=now + backoff(attempts),
                      last_error=str(error), updated_at=now)
         .where(Alert.id.in_(group.ids)).execute())
        _audit("alert.deferred", group, f"Will retry: {error}", smtp_reply=error.code)


def release(groups, keep_message_ids=False):
    """Give claimed groups back untried (a fresh Message-ID is dropped, an old one is kept).

    `keep_message_ids` for a group whose sending was cut short: the server may have taken it,
    so the next run sends it again under the same Message-ID (at-least-once).
    """
    with write_transaction():
        for group in groups:
            values = {"claim_token": None, "claimed_at": None}
            if group.is_new and not keep_message_ids:
                values["message_id"] = None
            Alert.update(**values).where(Alert.id.in_(group.ids)).execute()


def _deliver_group(connection, group, directory, today, report):
    """Send one group; return False when the mail server is unreachable (stop the run)."""
    recipients, subject = directory.recipients(group.audience), ""
    try:
        if not recipients:
            # Kept, not failed: it goes out once someone adds an address or an active user.
            raise TemporaryMailError(f"nobody to send it to ({group.audience}): add a contact "
                                     "address or an active user")
        built = messages.build_messages(group.audience, group.alerts, directory, today,
                                        group.message_id)
        subject = built[0][0]
        for _subject, message in built:  # the legal digest: one per language its readers read
            connection.send(message)
    except TemporaryMailError as error:
        _record_deferred(group, error, recipients, subject)
        report.deferred.append((group, str(error)))
        report.server_unreachable |= error.unreachable
        return not error.unreachable
    except PermanentMailError as error:
        _record_failed(group, error, recipients, subject)
        report.failed.append((group, str(error)))
        return True
    except MailError as error:
        # An SMTP problem smtplib cannot name: keep the message and stop for this run.
        _record_deferred(group, TemporaryMailError(str(error)), recipients, subject)
        report.deferred.append((group, str(error)))
        report.server_unreachable = True
        return False
    _record_sent(group, recipients, subject, directory.invitation(group.audience))
    report.sent.append((group, recipients, subject))
    return True


def deliver(today=None, report=None):
    """Claim and send every due pending alert; a run never raises on a mail error."""
    today = today or local_today()
    report = report or RunReport()
    groups = claim()
    started = 0
    try:
        directory = messages.Directory({group.audience for group in groups})
        with session() as connection:
            for group in groups:
                # A group whose outcome could not be recorded stays claimed: after the lease it
                # is sent again with the same Message-ID, rather than lost.
                started += 1
                if not _deliver_group(connection, group, directory, today, report):
                    break
    except MailError as error:
        # The transport could not even be set up (say, a malformed SMTP_URL): keep everything.
        report.deferred.extend((group, str(error)) for group in groups)
    except Terminated:
        # Stopped mid-send: the group in flight keeps its Message-ID (the server may have it),
        # and every claimed group goes to the next run now rather than after the lease.
        release(groups[started - 1:started], keep_message_ids=True)
        raise
    finally:
        release(groups[started:])
    return report


def preview(due):
    """Return what a run would send, without writing: [(audience, recipients, [alert keys])]."""
    known = existing_keys(alert.key for alert in due)
    by_audience = {}
    for alert in due:
        if alert.key not in known:
            by_audience.setdefault(alert.audience, []).append(alert.key)
    waiting = (Alert.select(Alert.key, Alert.audience)
               .where((Alert.status == "pending") & (Alert.next_attempt_at <= utcnow())))
    for row in waiting:
        by_audience.setdefault(row.audience, []).append(row.key)
    directory = messages.Directory(by_audience)
    return [(audience, directory.recipients(audience), keys)
            for audience, keys in sorted(by_audience.items())]


def without_demo_companies(due):
    """Drop the reminders for the demo's companies that have no portal account.

    The demo's contacts are made up (reserved `.example` addresses): e-mail to them could only
    bounce, and an invitation would create accounts nobody can use. Once someone of a demo
    company has an account, its reminders go out as any other's.
    """
    from registry.demo import demo_subcontractor_ids

    demo_ids = demo_subcontractor_ids()
    if not demo_ids:
        return due
    with_account = {user.subcontractor_id for user in User.select(User.subcontractor)
                    .where(User.subcontractor.in_(demo_ids))}
    silent = {f"subcontractor:{company}" for company in demo_ids - with_account}
    return [alert for alert in due if alert.audience not in silent]


def send_alerts(today=None, dry_run=False, now=None, source="command", run=None):
    """Register what is due on `today` (default: today in TIMEZONE) and send it.

    Hour-precision deadlines are judged at `now` (default: now, or the end of `today` when
    a day is given). The run is recorded (registry.alerts.runs) as started by `source`, or
    in `run` when the caller claimed one.
    """
    today, now = checks.moment(today, now)
    assessment, facts = assessment_and_facts(today, now)
    due = without_demo_companies([*planner.plan(assessment, facts,
                                                current_app.config["ALERT_DAYS"]),
                                   *planner.plan_hourly(assessment, now)])
    if dry_run:
        return RunReport(planned=preview(due))
    run = run or runs.start(source)
    report = deliver(assessment.today, RunReport(registered=register(due)))
    runs.finish(run, report)
    return report


def send_hourly_alerts(now=None, dry_run=False):
    """Register the hour-precision alerts due at `now` (default: now) and send what is pending.

    The worker runs it every hour; the day's alerts wait for ALERT_HOUR (`send_alerts`).
    """
    today, now = checks.moment(None, now)
    assessment, _facts = assessment_and_facts(today, now)
    due = planner.plan_hourly(assessment, now)
    if dry_run:
        return RunReport(planned=preview(due))
    report = RunReport(registered=register(due))
    return deliver(assessment.today, report)


def send_overdue_summary(today=None, dry_run=False):
    """Send this week's overdue summary to legal staff once (nothing overdue: nothing sent)."""
    today = today or local_today()
    assessment, _facts = assessment_and_facts(today)
    summary = planner.plan_overdue_summary(assessment)
    due = [summary] if summary else []
    if dry_run:
        return RunReport(planned=preview(due))
    report = RunReport(registered=register(due))
    return deliver(today, report)
