"""Which alerts are due: pure, from the compliance engine's findings, the day and the thresholds.

An alert is one notice to one audience ("legal", or "subcontractor:<id>" for the evidence it
owes) about one item. Its key names the item and the threshold, so that inserting keys that
already exist does nothing: each (audience, subject, kind, threshold) is sent once. Only the
most urgent threshold crossed is planned, so a run after days of downtime catches up with one
alert per item, not one per missed threshold; after the 0-day alert the key stays the same
every day, so an expired item is not announced again (the weekly overdue summary lists it).

Hour-precision deadlines (incident notices, forwarding data-subject requests) are planned by
`plan_hourly` at the assessment's instant, which the worker judges every hour: each is announced
once when it falls due within 24 hours and once when it is overdue; a late report by a
subcontractor once. An assistance request, due on a day, is announced by the day's run once
when it is due tomorrow or today, and once overdue (as a new red finding).
"""

from dataclasses import dataclass, field
from datetime import UTC, date, timedelta

from registry.compliance import Severity
from registry.compliance.messages import to_data
from registry.compliance.return_or_deletion import finding_item_key

EXPIRY_CODES = frozenset({"dpa_expiring", "dpa_expired", "attestation_expiring",
                          "attestation_expired"})
# Findings a subcontractor can fix itself by uploading evidence.
EVIDENCE_CODES = frozenset({"attestation_expiring", "attestation_expired",
                            "requirement_missing", "requirement_expired"})
REQUIREMENT_CODES = frozenset({"requirement_missing", "requirement_expired"})
OVERDUE_CODES = frozenset({"dpa_expired", "attestation_expired", "requirement_expired",
                           "return_or_deletion_overdue"})
RETURN_OR_DELETION_CODES = frozenset({"return_or_deletion_due", "return_or_deletion_overdue"})
LEGAL = "legal"
SUMMARY_KIND = "overdue_summary"
HOURLY_CODES = frozenset({"incident_notice_due", "incident_notice_overdue",
                          "incident_subcontractor_late", "subject_request_due",
                          "subject_request_overdue"})
HOURLY_DUE_CODES = frozenset({"incident_notice_due", "subject_request_due"})
# Amber day deadlines announced once, the day before they are due (or on the day).
DUE_SOON_CODES = frozenset({"assistance_due"})
DUE_WITHIN = timedelta(hours=24)


@dataclass(frozen=True)
class DueAlert:
    """One alert that is due: its unique key, who it is for and what to tell them."""

    key: str
    audience: str
    subject_type: str
    subject_id: int
    kind: str
    threshold: int | None
    due_on: date | None
    details: dict = field(compare=False)

    @property
    def family(self):
        """Return the key without its threshold: the same item for the same audience."""
        return family_of(self.key)


def family_of(key):
    """Return an alert key without its last part (the threshold)."""
    return key.rpartition("|")[0]


def subcontractor_audience(subcontractor_id):
    """Return the audience name of a subcontractor's contacts."""
    return f"subcontractor:{subcontractor_id}"


def crossed_threshold(due_on, today, thresholds):
    """Return the most urgent threshold (days before `due_on`) crossed by `today`, or None."""
    days_left = (due_on - today).days
    crossed = [threshold for threshold in thresholds if days_left <= threshold]
    return min(crossed) if crossed else None


def _details(finding, today, upload_type):
    requirement = finding.code.partition(":")[2] if finding.base_code in REQUIREMENT_CODES else None
    return {
        "severity": finding.severity.value,
        "code": finding.code,
        "subject_type": finding.subject_type,
        "subject_id": finding.subject_id,
        "message": finding.message,
        # The same message as a variant and its values, for e-mails in the reader's language.
        "phrase": to_data(finding.phrase),
        "due_on": finding.due_on.isoformat() if finding.due_on else None,
        "planned_on": today.isoformat(),
        "controller_id": finding.controller_id,
        "subcontractor_id": finding.subcontractor_id,
        "upload_type": upload_type,
        "requirement": requirement,
    }


def _audiences(finding, is_awaiting_review=False):
    audiences = [LEGAL]
    if (finding.base_code in EVIDENCE_CODES and finding.subcontractor_id is not None
            and not is_awaiting_review):
        audiences.append(subcontractor_audience(finding.subcontractor_id))
    return audiences


def _replacement_types(facts):
    """Return {type code: the type codes that could replace it} (those sharing a group)."""
    replacements = {}
    for group in facts.requirement_groups:
        for code in group.type_codes:
            replacements.setdefault(code, {code}).update(group.type_codes)
    return replacements


def awaiting_review(facts):
    """Return a test: does the finding's evidence already have an upload waiting for review?

    The company has done its part then (its portal says "nothing more to do"), so it gets no
    reminder until the review; legal staff still hear of the finding, and if the upload is
    rejected the reminder is planned by the next run.
    """
    pending = {(item.subcontractor_id, item.type_code)
               for item in facts.attestations if item.review == "pending"}
    types_of = {item.id: item.type_code for item in facts.attestations}
    groups = {group.key: set(group.type_codes) for group in facts.requirement_groups}
    replacements = _replacement_types(facts)

    def test(finding):
        if finding.subject_type == "attestation":
            code = types_of.get(finding.subject_id)
            wanted = replacements.get(code, {code})
        elif finding.base_code in REQUIREMENT_CODES:
            wanted = groups.get(finding.code.partition(":")[2], set())
        else:
            return False
        return any((finding.subcontractor_id, code) in pending for code in wanted)

    return test


def _expiry_alerts(finding, today, thresholds, upload_type, is_awaiting_review=False):
    if finding.due_on is None:
        return []
    threshold = crossed_threshold(finding.due_on, today, thresholds)
    if threshold is None:
        return []
    item = f"{finding.subject_type}:{finding.subject_id}|expiry|{finding.due_on.isoformat()}"
    return [
        DueAlert(f"{audience}|{item}|{threshold}", audience, finding.subject_type,
                 finding.subject_id, "expiry", threshold, finding.due_on,
                 _details(finding, today, upload_type))
        for audience in _audiences(finding, is_awaiting_review)
    ]


def _red_finding_alerts(finding, today, upload_type, is_awaiting_review=False):
    scope = finding.controller_id if finding.controller_id is not None else "-"
    due = finding.due_on.isoformat() if finding.due_on else "-"
    item = f"{finding.subject_type}:{finding.subject_id}|{finding.code}|{scope}|{due}"
    return [
        DueAlert(f"{audience}|{item}|new", audience, finding.subject_type, finding.subject_id,
                 finding.base_code, None, finding.due_on, _details(finding, today, upload_type))
        for audience in _audiences(finding, is_awaiting_review)
    ]


def _return_or_deletion_alerts(finding, today, thresholds):
    """Tell legal staff as an item's due day comes within a threshold, and once it is overdue.

    The key names the item: the processor and each subcontractor share a controller and a due
    day, but each owes its own certificate.
    """
    item = f"return_or_deletion:{finding_item_key(finding)}|{finding.due_on.isoformat()}"
    if finding.base_code == "return_or_deletion_overdue":
        threshold, last = None, "overdue"
    else:
        threshold = crossed_threshold(finding.due_on, today, thresholds)
        if threshold is None:
            return []
        last = str(threshold)
    return [DueAlert(f"{LEGAL}|{item}|{last}", LEGAL, finding.subject_type, finding.subject_id,
                     finding.base_code, threshold, finding.due_on,
                     _details(finding, today, None))]


def upload_types(facts):
    """Return the type codes to suggest on the upload form, per attestation and per group."""
    by_attestation = {attestation.id: attestation.type_code for attestation in facts.attestations}
    by_group = {group.key: group.type_codes[0] for group in facts.requirement_groups
                if len(group.type_codes) == 1}
    return by_attestation, by_group


def _upload_type(finding, suggestions):
    by_attestation, by_group = suggestions
    if finding.subject_type == "attestation":
        return by_attestation.get(finding.subject_id)
    if finding.base_code in REQUIREMENT_CODES:
        return by_group.get(finding.code.partition(":")[2])
    return None


def plan(assessment, facts, thresholds):
    """Return every alert due on `assessment.today`: expiry thresholds and new red findings."""
    today = assessment.today
    suggestions = upload_types(facts)
    is_awaiting_review = awaiting_review(facts)
    due = []
    for finding in assessment.findings:
        if finding.base_code in HOURLY_CODES:
            continue  # judged to the hour: plan_hourly
        if finding.base_code in RETURN_OR_DELETION_CODES:
            due.extend(_return_or_deletion_alerts(finding, today, thresholds))
            continue
        upload_type = _upload_type(finding, suggestions)
        waiting = is_awaiting_review(finding)
        if finding.base_code in EXPIRY_CODES:
            due.extend(_expiry_alerts(finding, today, thresholds, upload_type, waiting))
        elif finding.severity is Severity.RED:
            due.extend(_red_finding_alerts(finding, today, upload_type, waiting))
        elif finding.base_code in DUE_SOON_CODES:
            due.extend(_due_soon_alerts(finding, today))
    return due


def _due_soon_alerts(finding, today):
    if finding.due_on is None or (finding.due_on - today).days > 1:
        return []
    item = f"{finding.subject_type}:{finding.subject_id}|{finding.base_code}|"
    return [DueAlert(f"{LEGAL}|{item}{finding.due_on.isoformat()}|1", LEGAL,
                     finding.subject_type, finding.subject_id, finding.base_code, 1,
                     finding.due_on, _details(finding, today, None))]


def plan_hourly(assessment, now=None):
    """Return the alerts due at `now` (default: `assessment.now`) for hour-precision deadlines.

    A notice's key holds its deadline: a corrected awareness time moves the deadline and
    announces it again. "Due within 24 h" and "overdue" share a family, so a message that
    carries both tells the overdue one.
    """
    now = now or assessment.now
    if now is None:
        return []
    due = []
    for finding in assessment.findings:
        if finding.base_code not in HOURLY_CODES:
            continue
        details = _details(finding, assessment.today, None)
        if finding.base_code == "incident_subcontractor_late":
            key = f"{LEGAL}|incident:{finding.subject_id}|late:{finding.subcontractor_id}|-|new"
            due.append(DueAlert(key, LEGAL, "incident", finding.subject_id, finding.base_code,
                                None, None, details))
            continue
        if (finding.base_code in HOURLY_DUE_CODES
                and finding.due_at.astimezone(UTC) - now.astimezone(UTC) > DUE_WITHIN):
            continue
        overdue = finding.base_code not in HOURLY_DUE_CODES
        deadline = finding.due_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        details["due_at"] = finding.due_at.isoformat(timespec="minutes")
        key = (f"{LEGAL}|{_hourly_item(finding)}|{deadline}|{'overdue' if overdue else '24h'}")
        due.append(DueAlert(key, LEGAL, finding.subject_type, finding.subject_id,
                            finding.base_code, 0 if overdue else 24, finding.due_on, details))
    return due


def _hourly_item(finding):
    """Name the deadline an hourly alert is about: one controller's notice of an incident, or
    forwarding a data-subject request."""
    if finding.subject_type == "incident":
        return f"incident:{finding.subject_id}|notice:{finding.controller_id}"
    return f"{finding.subject_type}:{finding.subject_id}|forward"


def week_start(day):
    """Return the Monday of `day`'s ISO week."""
    return day - timedelta(days=day.weekday())


def plan_overdue_summary(assessment):
    """Return the week's overdue summary for legal staff, or None when nothing is overdue."""
    overdue = [finding for finding in assessment.findings if finding.base_code in OVERDUE_CODES]
    if not overdue:
        return None
    monday = week_start(assessment.today)
    year, week, _ = monday.isocalendar()
    items = sorted((_details(finding, assessment.today, None) for finding in overdue),
                   key=lambda item: (item["due_on"] or "", item["message"]))
    return DueAlert(f"{LEGAL}|registry:0|{SUMMARY_KIND}|{year}-W{week:02d}|weekly", LEGAL,
                    "registry", 0, SUMMARY_KIND, None, monday,
                    {"items": items, "planned_on": assessment.today.isoformat()})
