"""Rows for request tests: a data-subject request due in working days, an assistance request."""

import itertools
from datetime import UTC, date, datetime

from registry.compliance import forward_due_at
from registry.models import AssistanceRequest, SubjectRequest
from tests.incidents.factories import naive_utc

_sequence = itertools.count(1)


def make_subject_request(controller=None, received_at=None, days=2, **overrides):
    """Create an open data-subject request received at `received_at` (aware; default
    2026-11-25 08:00 UTC, a Wednesday) and due `days` working days later."""
    number = next(_sequence)
    received_at = received_at or datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
    values = {"reference": f"DSR-TEST-{number:03d}", "received_at": naive_utc(received_at),
              "channel": "email", "request_type": "access", "controller": controller,
              "subject_reference": f"Customer {number}", "forward_days": days,
              "due_at": naive_utc(forward_due_at(received_at, days))}
    values.update(overrides)
    return SubjectRequest.create(**values)


def make_assistance_request(controller, **overrides):
    """Create an open assistance request (a DPIA) received 2026-11-20, due 2026-11-30."""
    number = next(_sequence)
    values = {"reference": f"AR-TEST-{number:03d}", "kind": "dpia", "controller": controller,
              "received_on": date(2026, 11, 20), "due_on": date(2026, 11, 30),
              "summary": "Describe the security of the loyalty programme."}
    values.update(overrides)
    return AssistanceRequest.create(**values)
