"""Running the compliance engine over the whole registry and presenting its findings.

The CLI `check`, every page, alerts and reports start from `current_snapshot()` (or its
`current_assessment()` shortcut), so a rule exists once (in registry.compliance) and is evaluated
over one consistent snapshot of the rows.

Loading and assessing every row takes a large fraction of a second at the benchmark size, so a
process keeps the last snapshot and reuses it exactly while the registry revision
(registry.revision: bumped by database triggers in every writing transaction), the day and the
horizon are unchanged. The revision is read in the same read transaction as the rows, so a
snapshot never describes other rows than its revision says. Rebuilding is single-flight: the
first thread that needs a newer revision builds it, the threads that arrive meanwhile wait and
take its result, since a snapshot at least as new as the revision they read is never stale.

A rebuild after a write is incremental twice over: only the tables whose revision moved are
read again (`load_facts` keeps the other parts of the previous facts, the very same tuples),
and, on the same day and horizon, `registry.compliance.incremental.reassess` works out again
only the controllers and subcontractors whose rows changed (and the statuses that depend on
them), equal to a full assessment by test; a change of a registry-wide input (attestation
types, requirement groups, adequacy, an engagement for every controller, a sub-processor
chain) or of a quarter of the controllers runs the whole engine. A new day or horizon, or a
snapshot built inside the caller's own transaction, runs the whole engine too.

Hour-precision deadlines (incident notices, data-subject requests) change with the hour, not
the revision: the cached day's assessment is judged at each request's `now` (cheap: only open
incidents and requests), and the judged
snapshot is kept while those findings stay the same, so pages that keep results per snapshot
(`registry.listing.per_snapshot`) recompute only when an incident's state changes. Its
`assessment.now` is therefore the first instant of that judgement: anything finer than the
findings (a countdown) reads the request's own clock.
"""

import copy
import gc
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, time
from zoneinfo import ZoneInfo

from flask import current_app

from registry.clock import utc_now
from registry.compliance import AREAS, Severity, hour_findings, with_incident_findings
from registry.compliance.engine import assess_tracked
from registry.compliance.incremental import reassess
from registry.extensions import database
from registry.models import Controller
from registry.queries import load_facts
from registry.revision import (
    read_revision,
    read_table_revisions,
    read_transaction,
    unchanged_tables,
)

SEVERITY_COLOURS = {Severity.RED: "red", Severity.AMBER: "yellow", Severity.GREEN: "green"}


class UnknownController(LookupError):
    """A controller id that does not exist."""


@dataclass(frozen=True)
class CheckResult:
    """The findings of one check run, optionally narrowed to one controller."""

    assessment: object
    findings: tuple
    controller: object = None
    instant: object = None

    @property
    def today(self):
        return self.assessment.today

    @property
    def now(self):
        return self.instant or self.assessment.now

    @property
    def has_red(self):
        return any(finding.severity is Severity.RED for finding in self.findings)


def horizon_days():
    """Return how far ahead "expiring" looks: the largest alert threshold."""
    return max(current_app.config["ALERT_DAYS"])


@dataclass(frozen=True)
class Snapshot:
    """The registry's facts and their assessment on one day, at one registry revision.

    `tracked` (registry.compliance.engine.TrackedAssessment) keeps what the assessment was
    worked out from, so that the next revision's is worked out from it.
    """

    facts: object
    assessment: object
    revision: int
    tracked: object = None


class SnapshotCache:
    """The last snapshot of this process, rebuilt by one thread at a time, and the last
    judgement of its hour-precision deadlines."""

    def __init__(self):
        self._build_lock = threading.Lock()
        self._last = None
        self._judged = None

    def get(self, scope, revision):
        """Return the cached snapshot for `scope` if it is at `revision` or newer, else None."""
        last = self._last
        if last is not None and last[0] == scope and last[1].revision >= revision:
            return last[1]
        return None

    def latest(self, database_url):
        """Return the last snapshot built from `database_url` (on any day), or None."""
        last = self._last
        return last[1] if last is not None and last[0][0] == database_url else None

    def get_or_build(self, scope, revision, build):
        """Return a snapshot at least as new as `revision`; only one thread runs `build()`."""
        with self._build_lock:
            cached = self.get(scope, revision)
            if cached is None:
                cached = build()
                self._last = (scope, cached)
            return cached

    def judged(self, base, now):
        """Return `base` judged at `now`: the same object while its incident findings hold."""
        found = hour_findings(base.facts, now)
        last = self._judged
        if last is not None and last[0] is base and last[1] == found:
            return last[2]
        judged = _judged(base, found, now)
        self._judged = (base, found, judged)
        return judged

    def clear(self):
        """Forget the cached snapshot."""
        self._last = None
        self._judged = None


_cache = SnapshotCache()


def _build(today, horizon, previous=None):
    """Read and assess the registry; keep from `previous` what was read from unchanged tables,
    and, when `previous` is of the same day and horizon, the parts of its assessment that the
    changed rows do not feed (registry.compliance.incremental).

    Only committed changes are in the table revisions (on PostgreSQL their triggers fire at
    commit), so a caller's own open transaction never passes a `previous`.
    """
    with garbage_collection_paused():
        with read_transaction():
            revision = read_revision()
            kept, unchanged = None, frozenset()
            if previous is not None:
                kept = previous.facts
                unchanged = unchanged_tables(read_table_revisions(), previous.revision)
            facts = load_facts(kept, unchanged)
        tracked = assess_snapshot(facts, today, horizon, previous)
        return Snapshot(facts=facts, assessment=tracked.assessment, revision=revision,
                        tracked=tracked)


def assess_snapshot(facts, today, horizon, previous=None):
    """Return the tracked assessment of `facts`: worked out from `previous` (a snapshot of the
    same day and horizon) where the changes allow, by the whole engine otherwise."""
    if (previous is not None and previous.tracked is not None
            and previous.assessment.today == today
            and previous.assessment.horizon_days == horizon):
        return reassess(previous.tracked, facts)
    return assess_tracked(facts, today, horizon)


@contextmanager
def garbage_collection_paused():
    """Hold Python's cycle collector while a snapshot is built.

    A snapshot is about a million small acyclic objects (freed by reference counting, never by
    the collector), and allocating them triggered full collections that each walked all of
    them again: a quarter of the build's time. Other threads run without the collector for the
    fraction of a second the build takes.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _judged(base, found, now):
    if found:
        assessment = with_incident_findings(base.assessment, found, now)
    else:
        # Nothing to merge: the very findings, statuses and lookups, judged at `now`. A shallow
        # copy, since the base stays cached for other instants; `dataclasses.replace` would
        # index every finding again (a noticeable part of the first request after a write).
        assessment = copy.copy(base.assessment)
        object.__setattr__(assessment, "now", now)
    return Snapshot(facts=base.facts, revision=base.revision, assessment=assessment)


def registry_zone():
    """Return REGISTRY_TIMEZONE as a ZoneInfo."""
    return ZoneInfo(current_app.config["TIMEZONE"])


def end_of_day(day):
    """Return the last instant of `day` in REGISTRY_TIMEZONE (aware)."""
    return datetime.combine(day, time.max, tzinfo=registry_zone())


def moment(today=None, now=None):
    """Return (day, instant) to assess at: `now` and its local day; `today` and its last
    instant; or, with neither, the clock's now and its day in REGISTRY_TIMEZONE."""
    if now is not None:
        now = now.astimezone(registry_zone())
        return (today or now.date()), now
    if today is not None:
        return today, end_of_day(today)
    now = utc_now().astimezone(registry_zone())
    return now.date(), now


def current_snapshot(today=None, now=None):
    """Return the facts and assessment as of `today` and the instant `now` (see `moment`).

    Inside a transaction the caller opened, the caller may have changed rows that other
    connections cannot see yet: the snapshot is then built from its own view and not shared.
    """
    (today, now), horizon = moment(today, now), horizon_days()
    if database.in_transaction():
        base = _build(today, horizon)
        return _judged(base, hour_findings(base.facts, now), now)
    database_url = current_app.config["DATABASE_URL"]
    scope = (database_url, today, horizon)
    revision = read_revision()
    base = _cache.get(scope, revision) or _cache.get_or_build(
        scope, revision, lambda: _build(today, horizon, _cache.latest(database_url)))
    return _cache.judged(base, now)


def forget_snapshot():
    """Drop the cached snapshot, so that the next call loads and assesses every row again."""
    _cache.clear()


def current_assessment(today=None, now=None):
    """Assess the whole registry as of `today` (default: today in the configured time zone)."""
    return current_snapshot(today, now).assessment


def run_check(today=None, controller_id=None, now=None):
    """Assess the registry; keep only one controller's findings when `controller_id` is given.

    Hour-precision deadlines are judged at `now`; with only `today`, at the end of that day.
    """
    controller = None
    if controller_id is not None:
        controller = Controller.get_or_none(Controller.id == controller_id)
        if controller is None:
            raise UnknownController(f"no controller has id {controller_id}")
    today, now = moment(today, now)
    assessment = current_assessment(today, now)
    findings = assessment.findings
    if controller is not None:
        findings = assessment.findings_for_controller(controller.id)
    return CheckResult(assessment=assessment, findings=findings, controller=controller,
                       instant=now)


def due_at(finding):
    """Return the instant a finding is due (aware), or None: its own for hour deadlines, the
    end of its due day in REGISTRY_TIMEZONE for day deadlines."""
    if finding.due_at is not None:
        return finding.due_at
    return end_of_day(finding.due_on).replace(microsecond=0) if finding.due_on else None


def _iso(instant):
    return instant.isoformat(timespec="seconds") if instant else None


def finding_as_dict(finding):
    """Return a finding as JSON-ready values (`due_at`: ISO 8601 with offset)."""
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
        "due_at": _iso(due_at(finding)),
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
        "now": _iso(result.now),
        "controller_id": result.controller.id if result.controller else None,
        "counts": severity_counts(result.findings),
        "findings": [finding_as_dict(finding) for finding in result.findings],
    }


def print_text(result, echo, style):
    """Print findings grouped by severity and area; `style` colours them (plain when piped)."""
    scope = f" for {result.controller.name}" if result.controller else ""
    counts = severity_counts(result.findings)
    echo(f"Compliance check{scope} as of {result.today.isoformat()} "
         f"({result.now:%H:%M %Z}): "
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
                due = (f"  (due {finding.due_at:%Y-%m-%d %H:%M %Z})" if finding.due_at
                       else f"  (due {finding.due_on.isoformat()})" if finding.due_on else "")
                echo(f"  {finding.code:38} {finding.message}{due}")
    if not result.findings:
        echo(style("Everything is in order.", fg="green"))
