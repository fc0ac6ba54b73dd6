"""Named reads of incidents: the engine's facts (`load_incidents`), in two queries."""

from collections import defaultdict
from datetime import UTC
from zoneinfo import ZoneInfo

from flask import current_app

from registry.compliance import IncidentFacts, IncidentNoticeFacts
from registry.models import Incident, IncidentNotice


def registry_zone():
    """Return REGISTRY_TIMEZONE as a ZoneInfo."""
    return ZoneInfo(current_app.config["TIMEZONE"])


def aware(instant, zone=None):
    """Return a stored naive UTC instant as an aware datetime in `zone` (default: the
    registry's); None stays None."""
    if instant is None:
        return None
    return instant.replace(tzinfo=UTC).astimezone(zone or registry_zone())


def load_incidents():
    """Return every incident with its notices as IncidentFacts (instants in the registry's zone)."""
    zone = registry_zone()
    notices = defaultdict(list)
    query = IncidentNotice.select(
        IncidentNotice.id, IncidentNotice.incident, IncidentNotice.controller,
        IncidentNotice.due_at, IncidentNotice.notified_at, IncidentNotice.breach_notice_hours,
    ).order_by(IncidentNotice.id).tuples()
    for id_, incident_id, controller_id, due_at, notified_at, hours in query:
        notices[incident_id].append(IncidentNoticeFacts(
            id=id_, controller_id=controller_id, due_at=aware(due_at, zone),
            notified_at=aware(notified_at, zone), hours=hours))
    query = Incident.select(
        Incident.id, Incident.reference, Incident.title, Incident.aware_at, Incident.detected_by,
        Incident.subcontractor, Incident.subcontractor_aware_at, Incident.closed_at,
    ).order_by(Incident.id).tuples()
    return tuple(
        IncidentFacts(
            id=id_, reference=reference, title=title, aware_at=aware(aware_at, zone),
            detected_by=detected_by, subcontractor_id=subcontractor_id,
            subcontractor_aware_at=aware(subcontractor_aware_at, zone),
            closed_at=aware(closed_at, zone), notices=tuple(notices[id_]))
        for (id_, reference, title, aware_at, detected_by, subcontractor_id,
             subcontractor_aware_at, closed_at) in query
    )
