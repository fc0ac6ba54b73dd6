"""What lapses in the next 12 months, per month and kind, and the geometry of its SVG bar chart.

DPA dates come from each active controller's current DPA (as the engine picks it); attestation
dates are the `valid_until` of the evidence that currently satisfies each requirement group, as
the engine's requirement matrix states it. The chart is drawn by templates/dashboard/_timeline.html.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from flask_babel import format_date
from flask_babel import lazy_gettext as _l

from registry.compliance import add_months, current_dpa

MONTHS = 12
KINDS = {
    "dpa_expiry": _l("DPA expires"),
    "dpa_review": _l("DPA review due"),
    "attestation": _l("Security evidence lapses"),
}


@dataclass(frozen=True)
class Lapse:
    """One date in the window: what lapses, about which subject."""

    on: date
    kind: str
    text: str
    subject_type: str
    subject_id: int


def _dpa_lapses(snapshot, scope, start, end):
    facts, today = snapshot.facts, snapshot.assessment.today
    names = {c.id: c.name for c in facts.controllers
             if c.status == "active" and scope.has_controller(c.id)}
    by_controller = defaultdict(list)
    for dpa in facts.dpas:
        if dpa.controller_id in names:
            by_controller[dpa.controller_id].append(dpa)
    for controller_id, dpas in by_controller.items():
        dpa = current_dpa(dpas, today)
        if dpa is None:
            continue
        name = f"DPA v{dpa.version} with {names[controller_id]}"
        if dpa.expires_on and start <= dpa.expires_on < end:
            yield Lapse(dpa.expires_on, "dpa_expiry", f"{name} expires", "dpa", dpa.id)
        if dpa.review_due_on and start <= dpa.review_due_on < end:
            yield Lapse(dpa.review_due_on, "dpa_review", f"{name} is due for review", "dpa",
                        dpa.id)


def _attestation_lapses(snapshot, scope, start, end):
    names = {s.id: s.name for s in snapshot.facts.subcontractors}
    seen = set()
    for subcontractor_id, groups in snapshot.assessment.requirement_matrix.items():
        if not scope.has_subcontractor(subcontractor_id):
            continue
        for group in groups:
            until = group.valid_until
            if group.satisfied_by is None or until is None or not start <= until < end:
                continue
            if group.satisfied_by in seen:
                continue
            seen.add(group.satisfied_by)
            yield Lapse(until, "attestation",
                        f"{names.get(subcontractor_id, 'A subcontractor')}: {group.label}",
                        "subcontractor", subcontractor_id)


def lapses(snapshot, scope, months=MONTHS):
    """Return what lapses from today until the end of the window, soonest first."""
    start = snapshot.assessment.today
    end = add_months(start.replace(day=1), months)
    found = [*_dpa_lapses(snapshot, scope, start, end),
             *_attestation_lapses(snapshot, scope, start, end)]
    return sorted(found, key=lambda lapse: (lapse.on, lapse.kind, lapse.text))


@dataclass(frozen=True)
class Month:
    """One month of the window with the number of lapses of each kind."""

    start: date
    counts: dict

    @property
    def label(self):
        """Return "Dec", or "Jan 2027" for January, in the page's language ("joulu", "dec.")."""
        return format_date(self.start, "LLL y" if self.start.month == 1 else "LLL")

    @property
    def total(self):
        """Return the number of lapses this month."""
        return sum(self.counts.values())


def by_month(today, found, months=MONTHS):
    """Return the window's months (this one first) with counts per kind."""
    first = today.replace(day=1)
    window = [Month(add_months(first, offset), dict.fromkeys(KINDS, 0)) for offset in
              range(months)]
    index = {(month.start.year, month.start.month): month for month in window}
    for lapse in found:
        index[(lapse.on.year, lapse.on.month)].counts[lapse.kind] += 1
    return window


@dataclass(frozen=True)
class Bar:
    """One coloured segment of a month's stacked bar."""

    x: float
    y: float
    width: float
    height: float
    kind: str
    count: int
    month: str


@dataclass(frozen=True)
class Chart:
    """Everything the SVG needs, in user units of its viewBox."""

    width: int
    height: int
    plot_top: int
    plot_bottom: int
    plot_left: int
    bars: list
    ticks: list
    labels: list


def chart(months, width=720, height=260):
    """Lay out stacked bars per month with a y axis scaled to the busiest month."""
    left, right, top, bottom = 40, 8, 12, height - 32
    slot = (width - left - right) / len(months)
    peak = max((month.total for month in months), default=0)
    scale_max = max(peak, 4)
    step = max(1, -(-scale_max // 4))
    scale_max = step * 4
    unit = (bottom - top) / scale_max
    bars, labels = [], []
    for position, month in enumerate(months):
        x = left + position * slot + slot * 0.18
        y = bottom
        for kind in KINDS:
            count = month.counts[kind]
            if count:
                height_of = count * unit
                y -= height_of
                bars.append(Bar(round(x, 1), round(y, 1), round(slot * 0.64, 1),
                                round(height_of, 1), kind, count, month.label))
        labels.append((round(left + position * slot + slot / 2, 1), month.label))
    ticks = [(value, round(bottom - value * unit, 1)) for value in range(0, scale_max + 1, step)]
    return Chart(width, height, top, bottom, left, bars, ticks, labels)
