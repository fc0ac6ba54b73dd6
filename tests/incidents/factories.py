"""Rows for incident tests: an incident with one notice per controller, deadlines from hours."""

import itertools
from datetime import UTC, datetime, timedelta

from registry.models import Incident, IncidentNotice

_sequence = itertools.count(1)


def naive_utc(moment):
    """Return an aware instant as the naive UTC value `*_at` columns store."""
    return moment.astimezone(UTC).replace(tzinfo=None)


def make_incident(controllers=(), aware_at=None, hours=24, **overrides):
    """Create an open incident known at `aware_at` (aware; default 2026-11-25 08:00 UTC) with a
    notice due `hours` later for each of `controllers` (hours None: the 24-hour default)."""
    number = next(_sequence)
    aware_at = aware_at or datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
    values = {"reference": f"INC-TEST-{number:03d}", "title": f"Incident {number}",
              "aware_at": naive_utc(aware_at), "nature": "Misdirected e-mail with order data",
              "data_subject_categories": "Customers", "data_subject_count": 120,
              "record_categories": "Names, e-mail addresses, order numbers",
              "record_count": 150, "likely_consequences": "Phishing attempts",
              "measures": "Recipient asked to delete; template fixed",
              "contact_point": "Data protection officer, dpo@processor.example"}
    values.update(overrides)
    incident = Incident.create(**values)
    for controller in controllers:
        IncidentNotice.create(
            incident=incident, controller=controller, breach_notice_hours=hours,
            due_at=naive_utc(aware_at + timedelta(hours=24 if hours is None else hours)))
    return incident
