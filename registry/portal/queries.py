"""Named reads of the portal: the company's requirement list, the types it may upload, history.

Whether a requirement is met, and until when, is the compliance engine's answer
(`requirement_matrix`) from the shared snapshot every page reads (`checks.current_snapshot`,
assessed once per registry revision); this module only adds what the person needs next to it:
the pending or rejected upload of that requirement, and the types that would satisfy it.
"""

from dataclasses import dataclass
from datetime import date

from registry.checks import current_snapshot
from registry.clock import local_today
from registry.models import AttestationType
from registry.portal.access import own_attestations

HISTORY_PAGE_SIZE = 20
SEVERITIES = {"ok": "green", "expiring": "amber", "expired": "red", "missing": "red"}


@dataclass(frozen=True)
class RequirementRow:
    """One requirement group of the company, as the engine judged it, with its latest uploads."""

    key: str
    label: str
    state: str
    counts_until: date | None
    days_left: int | None
    types: tuple
    covered_by: object = None
    pending: object = None
    rejected: object = None

    @property
    def severity(self):
        """Return red, amber or green for the badge."""
        return SEVERITIES[self.state]

    @property
    def needs_upload(self):
        """Tell whether the company has something to upload for this requirement."""
        return self.state != "ok" and self.pending is None


@dataclass(frozen=True)
class Overview:
    """Everything the portal's first page shows."""

    today: date
    rows: tuple
    recent: tuple

    @property
    def to_do(self):
        """Return the rows that need an upload from the company."""
        return tuple(row for row in self.rows if row.needs_upload)

    @property
    def worst_to_do(self):
        """Return "red" when something required is missing or lapsed, else "amber" (or None)."""
        severities = {row.severity for row in self.to_do}
        return "red" if "red" in severities else ("amber" if severities else None)

    @property
    def awaiting_review(self):
        """Return the rows whose new upload waits for the registry's review."""
        return tuple(row for row in self.rows if row.pending is not None)

    @property
    def next_end(self):
        """Return the earliest day a requirement stops being met (None when none ends)."""
        return min((row.counts_until for row in self.rows if row.counts_until), default=None)


def _row(status, group, types, attestations, today):
    candidates = [a for a in attestations if a.attestation_type.code in group.type_codes]
    pending = next((a for a in candidates if a.review == "pending"), None)
    latest = candidates[0] if candidates else None
    rejected = latest if latest is not None and latest.review == "rejected" else None
    covered_by = next((a for a in candidates if a.id == status.satisfied_by), None)
    counts_until = status.valid_until
    return RequirementRow(
        key=status.group_key,
        label=status.label,
        state=status.state,
        counts_until=counts_until,
        days_left=(counts_until - today).days if counts_until else None,
        types=tuple(types[code] for code in group.type_codes if code in types),
        covered_by=covered_by,
        pending=pending,
        rejected=rejected if pending is None else None,
    )


def overview(subcontractor, today=None, recent_count=5):
    """Return the company's requirement rows (the engine's matrix) and its latest uploads."""
    today = today or local_today()
    snapshot = current_snapshot(today)
    groups = {group.key: group for group in snapshot.facts.requirement_groups}
    types = {kind.code: kind for kind in AttestationType.select()}
    attestations = list(own_attestations(subcontractor))
    rows = tuple(
        _row(status, groups[status.group_key], types, attestations, today)
        for status in snapshot.assessment.requirement_matrix.get(subcontractor.id, ())
    )
    return Overview(today=today, rows=rows, recent=tuple(attestations[:recent_count]))


@dataclass(frozen=True)
class UploadChoices:
    """The types the company may upload: those its requirements accept, then the other allowed."""

    required: tuple
    other: tuple
    needed_for: dict

    @property
    def all(self):
        """Return every allowed type, required ones first."""
        return self.required + self.other

    def find(self, code):
        """Return the allowed type with `code`, or None."""
        return next((kind for kind in self.all if kind.code == code), None)


def upload_choices(subcontractor, today=None):
    """Return the attestation types the company may upload, with the requirements they meet."""
    snapshot = current_snapshot(today or local_today())
    groups = {group.key: group for group in snapshot.facts.requirement_groups}
    needed_for = {}
    for status in snapshot.assessment.requirement_matrix.get(subcontractor.id, ()):
        for code in groups[status.group_key].type_codes:
            needed_for.setdefault(code, []).append(status.label)
    kinds = list(AttestationType.select().order_by(AttestationType.name))
    required = tuple(kind for kind in kinds if kind.code in needed_for)
    other = tuple(kind for kind in kinds if kind.uploadable and kind.code not in needed_for)
    return UploadChoices(required=required, other=other, needed_for=needed_for)


def upload_type(subcontractor, code):
    """Return the attestation type `code` when the company may upload it, else None.

    Most types are open to every company and are answered from their own row, so the validity
    preview, asked on every change of a date field, does not wait for an assessment.
    """
    kind = AttestationType.get_or_none(AttestationType.code == code)
    if kind is None or kind.uploadable:
        return kind
    return upload_choices(subcontractor).find(code)


def history(subcontractor, page):
    """Return one page of the company's uploads (newest first) and the number of pages."""
    query = own_attestations(subcontractor)
    pages = max(1, -(-query.count() // HISTORY_PAGE_SIZE))
    page = min(max(page, 1), pages)
    return list(query.paginate(page, HISTORY_PAGE_SIZE)), page, pages
