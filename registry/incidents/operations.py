"""Writes to incidents: record, correct, add controllers, queue notices and follow-ups, close.

Each runs in one write transaction with its audit event. Notices are only *queued* here (an
IncidentMessage per controller, with its recipients); `registry.incidents.delivery` mails them
from the worker after the commit and records how it went.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo

from flask import current_app
from peewee import IntegrityError

from registry import audit
from registry.audit_trail.changes import change_details, creation_details, field_values
from registry.checks import current_snapshot
from registry.clock import naive_utc_now
from registry.compliance import current_dpa, notice_due_at
from registry.db import write_transaction
from registry.editing import check_version, lock, save_fields
from registry.formatting import counted
from registry.models import Controller, Incident, IncidentMessage, IncidentNotice

FIELDS = ("reference", "title", "aware_at", "detected_by", "subcontractor",
          "subcontractor_aware_at", "affected_scope", "nature", "data_subject_categories",
          "data_subject_count", "record_categories", "record_count", "likely_consequences",
          "measures", "contact_point", "closed_at")
INSTANTS = ("aware_at", "subcontractor_aware_at", "closed_at")
MAX_NAMED = 5


class IncidentError(Exception):
    """The action does not fit the incident now; the message says what to do instead."""


@dataclass(frozen=True)
class DeadlineRules:
    """What a notice's deadline depends on: the controllers' DPAs (the registry's facts), the
    configured default hours and the time zone whose day picks the DPA in force."""

    facts: object
    default_hours: int
    zone: tzinfo


def deadline_rules(zone, day=None):
    """Return the DeadlineRules of the registry as of `day` (default today) in `zone`."""
    return DeadlineRules(facts=current_snapshot(today=day).facts, zone=zone,
                         default_hours=current_app.config["BREACH_NOTICE_DEFAULT_HOURS"])


def naive_utc(moment):
    """Return an aware instant as the naive UTC value `*_at` columns store (None stays None)."""
    return None if moment is None else moment.astimezone(UTC).replace(tzinfo=None)


def stored(values):
    """Return form or import values with their instants as stored."""
    return {name: naive_utc(value) if name in INSTANTS else value
            for name, value in values.items()}


def next_reference(year):
    """Return the next free reference of `year`: INC-2026-001, INC-2026-002 ..."""
    prefix = f"INC-{year}-"
    taken = [row.reference[len(prefix):] for row in
             Incident.select(Incident.reference).where(Incident.reference.startswith(prefix))]
    numbers = [int(number) for number in taken if number.isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:03d}"


def plan_deadlines(controller_ids, aware_at, rules):
    """Return {controller id: (hours or None, aware due_at)}: the hours of the DPA in force on
    the local day of awareness (None: it sets none, the default applies)."""
    dpas = defaultdict(list)
    for dpa in rules.facts.dpas:
        dpas[dpa.controller_id].append(dpa)
    day = aware_at.astimezone(rules.zone).date()
    planned = {}
    for controller_id in controller_ids:
        dpa = current_dpa(dpas[controller_id], day)
        hours = dpa.breach_notice_hours if dpa is not None else None
        planned[controller_id] = (hours, notice_due_at(aware_at, hours, rules.default_hours))
    return planned


def _aware(stored_instant):
    return stored_instant.replace(tzinfo=UTC) if isinstance(stored_instant, datetime) else None


def _create_notices(incident, aware_at, controller_ids, rules):
    planned = plan_deadlines(controller_ids, aware_at, rules)
    for controller_id, (hours, due_at) in planned.items():
        IncidentNotice.create(incident=incident, controller=controller_id,
                              breach_notice_hours=hours, due_at=naive_utc(due_at))
    return len(planned)


def record_incident(values, controller_ids, rules, actor, action="incident.recorded"):
    """Record an incident and one notice per affected controller; return the incident.

    `values` hold aware instants; `rules` give each controller's deadline. A subcontractor's
    report (`action` "incident.reported") is kept even when no controller is known to be
    affected: legal staff then add the controllers.
    """
    if not controller_ids and action == "incident.recorded":
        raise IncidentError("No controller is affected: the subcontractor processes no "
                            "active controller's data. Choose the controllers instead.")
    year = values["aware_at"].year
    for _attempt in range(3):  # two people recording at once may take the same number
        try:
            with write_transaction():
                incident = Incident.create(reference=next_reference(year), recorded_by=actor,
                                           **stored(values))
                count = _create_notices(incident, values["aware_at"], controller_ids, rules)
                details = creation_details(incident, FIELDS)
                details["controllers"] = sorted(controller_ids)
                audit.record(action, incident,
                             f"Incident {incident.reference} “{incident.title}” "
                             f"{action.partition('.')[2]}: {counted(count, 'controller')} to "
                             "notify", details, actor=actor)
            return incident
        except IntegrityError:
            continue
    raise IncidentError("Another incident was recorded at the same moment; try again.")


def report_incident(subcontractor, values, controller_ids, rules, actor, now):
    """Record a subcontractor's report from its portal: the processor is aware from `now`."""
    values = dict(values, aware_at=now, detected_by="subcontractor",
                  subcontractor=subcontractor.id, affected_scope="subcontractor")
    return record_incident(values, controller_ids, rules, actor, action="incident.reported")


def update_incident(incident, values, seen_version, actor, rules):
    """Correct an incident's facts; a new awareness time moves every notice's deadline."""
    with write_transaction():
        current = lock(Incident, incident.id)
        check_version(current, seen_version, f"Incident {current.reference}")
        before = field_values(current, FIELDS)
        for name, value in stored(values).items():
            setattr(current, name, value)
        save_fields(current, list(values))
        if before["aware_at"] != field_values(current, ("aware_at",))["aware_at"]:
            aware_at = _aware(current.aware_at)
            for notice in IncidentNotice.select().where(IncidentNotice.incident == current):
                due_at = notice_due_at(aware_at, notice.breach_notice_hours, rules.default_hours)
                notice.due_at = naive_utc(due_at)
                notice.save(only=[IncidentNotice.due_at, IncidentNotice.updated_at])
        audit.record("incident.updated", current, f"Incident {current.reference} corrected",
                     change_details(before, field_values(current, FIELDS)), actor=actor)
    return current


def add_controllers(incident, controller_ids, rules, actor):
    """Add notices for controllers found to be affected later (those already listed are kept)."""
    with write_transaction():
        current = lock(Incident, incident.id)
        if current.closed_at is not None:
            raise IncidentError("This incident is closed.")
        listed = {row.controller_id for row in
                  IncidentNotice.select(IncidentNotice.controller)
                  .where(IncidentNotice.incident == current)}
        new = [cid for cid in controller_ids if cid not in listed]
        if not new:
            raise IncidentError("Those controllers are listed already.")
        count = _create_notices(current, _aware(current.aware_at), new, rules)
        audit.record("incident.controllers_added", current,
                     f"Incident {current.reference}: {counted(count, 'controller')} added",
                     {"controllers": sorted(new)}, actor=actor)
    return count


def _lacking_contacts(notices):
    lacking = sorted(notice.controller.name for notice in notices
                     if not notice.controller.privacy_contacts)
    if lacking:
        named = ", ".join(lacking[:MAX_NAMED]) + (
            f" and {len(lacking) - MAX_NAMED} more" if len(lacking) > MAX_NAMED else "")
        raise IncidentError(f"No privacy contact to notify at {named}. Add the controller's "
                            "privacy contact first.")


def _notices(incident, notice_ids=None):
    query = (IncidentNotice.select(IncidentNotice, Controller).join(Controller)
             .where(IncidentNotice.incident == incident).order_by(Controller.name))
    if notice_ids is not None:
        query = query.where(IncidentNotice.id.in_(list(notice_ids)))
    return list(query)


def _in_flight(notices):
    """Return the ids of notices with a first e-mail queued or delivered."""
    return {row.notice_id for row in IncidentMessage.select(IncidentMessage.notice).where(
        IncidentMessage.notice.in_([notice.id for notice in notices])
        & (IncidentMessage.kind == "initial") & (IncidentMessage.error == ""))}


def queue_notices(incident, actor, notice_ids=None):
    """Queue the first notice to each controller not notified yet (or only `notice_ids`).

    Return the ids of the messages to deliver. A notice already delivered or on its way is
    left alone, so a double submission never mails twice.
    """
    with write_transaction():
        current = lock(Incident, incident.id)
        if current.closed_at is not None:
            raise IncidentError("This incident is closed.")
        notices = [notice for notice in _notices(current, notice_ids)
                   if notice.notified_at is None]
        busy = _in_flight(notices)
        notices = [notice for notice in notices if notice.id not in busy]
        if not notices:
            raise IncidentError("Every listed controller was notified already, or the notice "
                                "is on its way.")
        _lacking_contacts(notices)
        messages = [IncidentMessage.create(notice=notice, kind="initial", sent_by=actor,
                                           recipients=list(notice.controller.privacy_contacts))
                    for notice in notices]
        audit.record("incident.notices_queued", current,
                     f"Incident {current.reference}: notice to "
                     f"{counted(len(messages), 'controller')} queued",
                     {"controllers": [notice.controller_id for notice in notices]}, actor=actor)
    return [message.id for message in messages]


def queue_follow_up(incident, text, actor):
    """Queue a follow-up (Art. 33(4)) to every controller notified so far; return message ids."""
    with write_transaction():
        current = lock(Incident, incident.id)
        notices = [notice for notice in _notices(current) if notice.notified_at is not None]
        if not notices:
            raise IncidentError("No controller has been notified yet: send the first notice, "
                                "then follow up.")
        _lacking_contacts(notices)
        messages = [IncidentMessage.create(notice=notice, kind="follow_up", text=text,
                                           sent_by=actor,
                                           recipients=list(notice.controller.privacy_contacts))
                    for notice in notices]
        audit.record("incident.follow_up_queued", current,
                     f"Incident {current.reference}: follow-up to "
                     f"{counted(len(messages), 'controller')} queued",
                     {"controllers": [notice.controller_id for notice in notices],
                      "text": text[:500]}, actor=actor)
    return [message.id for message in messages]


def close_incident(incident, seen_version, actor):
    """Close the incident once every affected controller has been notified."""
    with write_transaction():
        current = lock(Incident, incident.id)
        check_version(current, seen_version, f"Incident {current.reference}")
        if current.closed_at is not None:
            raise IncidentError("This incident is closed already.")
        waiting = [notice.controller.name for notice in _notices(current)
                   if notice.notified_at is None]
        if waiting:
            raise IncidentError(f"Notify {', '.join(waiting[:MAX_NAMED])} first: an incident "
                                "is closed only once every affected controller has its notice.")
        before = field_values(current, FIELDS)
        current.closed_at = naive_utc_now()
        save_fields(current, ["closed_at"])
        audit.record("incident.closed", current, f"Incident {current.reference} closed",
                     change_details(before, field_values(current, FIELDS)), actor=actor)
    return current
