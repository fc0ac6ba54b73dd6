"""Running the compliance engine over the whole registry and presenting its findings.

The CLI `check`, the dashboard, alerts and reports all start from `current_snapshot()` (or its
`current_assessment()` shortcut), so a rule exists once (in registry.compliance) and is evaluated
over one consistent snapshot of the rows.

Pages must answer fast at the benchmark size, where loading and assessing every row takes a
large fraction of a second. So the last snapshot is kept per process and reused while the
registry's fingerprint (one cheap query: row count and latest `updated_at` per table) and the
day are unchanged. Every process sees every other process's writes through the fingerprint; as
a bound on what clock skew between hosts could hide from it, a snapshot is also never reused
for longer than SNAPSHOT_MAX_AGE seconds.
"""

import threading
import time
from dataclasses import dataclass

from flask import current_app

from registry.clock import local_today
from registry.compliance import AREAS, Severity, assess
from registry.models import Controller
from registry.queries import load_facts, registry_fingerprint

SEVERITY_COLOURS = {Severity.RED: "red", Severity.AMBER: "yellow", Severity.GREEN: "green"}


class UnknownController(LookupError):
    """A controller id that does not exist."""


@dataclass(frozen=True)
class CheckResult:
    """The findings of one check run, optionally narrowed to one controller."""

    assessment: object
    findings: tuple
    controller: object = None

    @property
    def today(self):
        return self.assessment.today

    @property
    def has_red(self):
        return any(finding.severity is Severity.RED for finding in self.findings)


def horizon_days():
    """Return how far ahead "expiring" looks: the largest alert threshold."""
    return max(current_app.config["ALERT_DAYS"])


@dataclass(frozen=True)
class Snapshot:
    """The registry's facts and their assessment on one day."""

    facts: object
    assessment: object


SNAPSHOT_MAX_AGE = 60
_cache_lock = threading.Lock()
_cache = {}


def current_snapshot(today=None):
    """Return the facts and assessment as of `today` (default: today in the time zone)."""
    key = (current_app.config["DATABASE_URL"], registry_fingerprint(),
           today or local_today(), horizon_days())
    now = time.monotonic()
    with _cache_lock:
        cached = _cache.get("last")
        if cached and cached[0] == key and now - cached[1] < SNAPSHOT_MAX_AGE:
            return cached[2]
    facts = load_facts()
    snapshot = Snapshot(facts=facts, assessment=assess(facts, key[2], key[3]))
    with _cache_lock:
        _cache["last"] = (key, now, snapshot)
    return snapshot


def forget_snapshot():
    """Drop the cached snapshot, so that the next call loads and assesses every row again."""
    with _cache_lock:
        _cache.clear()


def current_assessment(today=None):
    """Assess the whole registry as of `today` (default: today in the configured time zone)."""
    return current_snapshot(today).assessment


def run_check(today=None, controller_id=None):
    """Assess the registry; keep only one controller's findings when `controller_id` is given."""
    controller = None
    if controller_id is not None:
        controller = Controller.get_or_none(Controller.id == controller_id)
        if controller is None:
            raise UnknownController(f"no controller has id {controller_id}")
    assessment = current_assessment(today)
    findings = assessment.findings
    if controller is not None:
        findings = assessment.findings_for_controller(controller.id)
    return CheckResult(assessment=assessment, findings=findings, controller=controller)


def finding_as_dict(finding):
    """Return a finding as JSON-ready values."""
    return {
        "severity": finding.severity.value,
        "code": finding.code,
        "area": finding.area,
        "subject_type": finding.subject_type,
        "subject_id": finding.subject_id,
        "controller_id": finding.controller_id,
        "subcontractor_id": finding.subcontractor_id,
        "message": finding.message,
        "due_on": finding.due_on.isoformat() if finding.due_on else None,
    }


def severity_counts(findings):
    """Return {severity value: count} for red and amber."""
    counts = {"red": 0, "amber": 0}
    for finding in findings:
        counts[finding.severity.value] += 1
    return counts


def as_json(result):
    """Return the check result as a JSON-ready document."""
    return {
        "today": result.today.isoformat(),
        "controller_id": result.controller.id if result.controller else None,
        "counts": severity_counts(result.findings),
        "findings": [finding_as_dict(finding) for finding in result.findings],
    }


def print_text(result, echo, style):
    """Print findings grouped by severity and area; `style` colours them (plain when piped)."""
    scope = f" for {result.controller.name}" if result.controller else ""
    counts = severity_counts(result.findings)
    echo(f"Compliance check{scope} as of {result.today.isoformat()}: "
         f"{counts['red']} red, {counts['amber']} amber")
    for severity in (Severity.RED, Severity.AMBER):
        for area in AREAS:
            group = [f for f in result.findings if f.severity is severity and f.area == area]
            if not group:
                continue
            heading = f"{severity.value.upper()} - {area} ({len(group)})"
            echo("")
            echo(style(heading, fg=SEVERITY_COLOURS[severity], bold=True))
            for finding in group:
                due = f"  (due {finding.due_on.isoformat()})" if finding.due_on else ""
                echo(f"  {finding.code:38} {finding.message}{due}")
    if not result.findings:
        echo(style("Everything is in order.", fg="green"))
