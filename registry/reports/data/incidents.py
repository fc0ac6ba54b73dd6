"""The incident register (Art. 33(5)): every personal-data breach with its facts, effects and
remedial action, and each affected controller's notice: when it was due, when it was given, to
whom, and the follow-ups.

The register is judged at the earlier of the moment it is made and the end of its day, so a
register made this morning does not call a notice due this afternoon overdue. Incidents known
only after that instant are left out; a one-controller register lists the incidents that
affected that controller, with its notices only.
"""

from collections import defaultdict
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import format_number
from flask_babel import lazy_gettext as _l
from peewee import JOIN

from registry.compliance import hours_left, notice_state, report_hours, reported_late
from registry.incidents.queries import aware, notice_facts, registry_zone
from registry.models import Controller, Incident, IncidentMessage, IncidentNotice, Subcontractor
from registry.reports.data.common import report_meta

STATE_LABELS = {"notified": ("green", _l("notified in time")),
                "notified_late": ("amber", _l("late")),
                "due": ("amber", _l("due")), "overdue": ("red", _l("overdue"))}


def judged_at(snapshot):
    """Return the instant the register is judged at: its making, at most the end of its day."""
    zone = ZoneInfo(current_app.config["TIMEZONE"])
    end = datetime.combine(snapshot.today, time.max, tzinfo=zone)
    return min(snapshot.generated_at.astimezone(UTC), end.astimezone(UTC)).astimezone(zone)


def incident_register(snapshot, controller_id=None):
    """Return the incident register of the whole registry or of one controller."""
    at = judged_at(snapshot)
    query = (Incident.select(Incident, Subcontractor).join(Subcontractor, JOIN.LEFT_OUTER)
             .where(Incident.aware_at <= at.astimezone(UTC).replace(tzinfo=None))
             .order_by(Incident.aware_at, Incident.id))
    if controller_id is not None:
        query = query.where(Incident.id.in_(IncidentNotice.select(IncidentNotice.incident).where(
            IncidentNotice.controller == controller_id)))
    incidents = list(query)
    notices = _notices([incident.id for incident in incidents], controller_id, at)
    facts = {row.id: row for row in snapshot.facts.incidents}
    entries = [_entry(snapshot, incident, facts.get(incident.id), notices[incident.id], at)
               for incident in incidents]
    report = report_meta(snapshot, _l("Incident register"), controller_id)
    report.update(
        entries=entries, judged_label=at.strftime("%Y-%m-%d %H:%M %Z"),
        counts={"incidents": len(entries),
                "open": sum(1 for entry in entries if entry["closed_at"] is None),
                "notices": sum(len(entry["notices"]) for entry in entries),
                "overdue": sum(1 for entry in entries for notice in entry["notices"]
                               if notice["state"] == "overdue"),
                "late": sum(1 for entry in entries for notice in entry["notices"]
                            if notice["state"] == "notified_late")},
    )
    return report


def _notices(incident_ids, controller_id, at):
    zone = registry_zone()
    query = (IncidentNotice.select(IncidentNotice, Controller).join(Controller)
             .where(IncidentNotice.incident.in_(incident_ids))
             .order_by(Controller.name, IncidentNotice.id))
    if controller_id is not None:
        query = query.where(IncidentNotice.controller == controller_id)
    rows = list(query) if incident_ids else []
    messages = defaultdict(list)
    if rows:
        cutoff = at.astimezone(UTC).replace(tzinfo=None)
        for message in (IncidentMessage.select()
                        .where(IncidentMessage.notice.in_([row.id for row in rows])
                               & IncidentMessage.sent_at.is_null(False)
                               & (IncidentMessage.sent_at <= cutoff))
                        .order_by(IncidentMessage.sent_at, IncidentMessage.id)):
            messages[message.notice_id].append(message)
    grouped = defaultdict(list)
    for row in rows:
        facts = notice_facts(row, zone)
        state = notice_state(facts, at)
        colour, label = STATE_LABELS[state]
        grouped[row.incident_id].append({
            "controller": row.controller.name,
            "due_at": facts.due_at,
            "basis": (_l("DPA: %(hours)s h", hours=row.breach_notice_hours)
                      if row.breach_notice_hours is not None
                      else _l("without undue delay, Art. 33(2)")),
            "notified_at": facts.notified_at if state.startswith("notified") else None,
            "recipients": ", ".join(row.recipients),
            "state": state, "colour": colour, "label": label,
            "hours_left": hours_left(facts.due_at, at),
            "follow_ups": [aware(message.sent_at, zone) for message in messages[row.id]
                           if message.kind == "follow_up"],
        })
    return grouped


def _report(snapshot, facts):
    taken = report_hours(facts) if facts is not None else None
    if taken is None:
        return None
    subcontractor = snapshot.subcontractor_facts.get(facts.subcontractor_id)
    promise = (subcontractor.as_of(facts.subcontractor_aware_at.date()).breach_notice_hours
               if subcontractor is not None else None)
    return {"hours": round(taken, 1), "promise": promise, "late": reported_late(facts, promise)}


def _entry(snapshot, incident, facts, notices, at):
    closed_at = aware(incident.closed_at)
    return {
        "reference": incident.reference,
        "title": incident.title,
        "aware_at": aware(incident.aware_at),
        "detected_by": (incident.subcontractor.name if incident.detected_by == "subcontractor"
                        else _l("the processor")),
        "subcontractor_aware_at": aware(incident.subcontractor_aware_at),
        "report": _report(snapshot, facts),
        "closed_at": (closed_at if closed_at is not None
                      and closed_at.astimezone(UTC) <= at.astimezone(UTC) else None),
        "nature": incident.nature,
        "subjects": _approximately(incident.data_subject_categories, incident.data_subject_count),
        "records": _approximately(incident.record_categories, incident.record_count),
        "likely_consequences": incident.likely_consequences,
        "measures": incident.measures,
        "contact_point": incident.contact_point,
        "notices": notices,
    }


def _approximately(categories, count):
    number = (_l("about %(count)s", count=format_number(count)) if count is not None
              else _l("number not known"))
    return _l("%(categories)s (%(number)s)", categories=categories or _l("Categories not known"),
              number=number)
