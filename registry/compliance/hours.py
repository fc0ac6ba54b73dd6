"""Every hour-precision deadline at once: incident notices and data-subject requests.

The shared snapshot assesses the day once and judges these at each caller's `now`
(`registry.checks`), so they are gathered here in the engine's order.
"""

import heapq
from datetime import datetime

from registry.compliance.facts import RegistryFacts
from registry.compliance.findings import Assessment, Finding, finding_order
from registry.compliance.incidents import incident_findings, with_incident_findings
from registry.compliance.requests import subject_request_findings


def hour_findings(facts: RegistryFacts, now: datetime) -> tuple[Finding, ...]:
    """Return the findings of every hour-precision deadline open at `now`, in order."""
    return tuple(heapq.merge(incident_findings(facts, now), subject_request_findings(facts, now),
                             key=finding_order))


def judge_hours(assessment: Assessment, facts: RegistryFacts, now: datetime) -> Assessment:
    """Return `assessment` with the hour-precision deadlines of `facts` judged at `now`."""
    return with_incident_findings(assessment, hour_findings(facts, now), now)
