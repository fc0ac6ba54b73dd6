"""Everything the dashboard shows for one set of filters, computed once per snapshot."""

from dataclasses import dataclass, replace

from registry.dashboard import queries, timeline
from registry.listing import per_snapshot

UPCOMING = 10


@dataclass(frozen=True)
class Summary:
    """The dashboard's content: listed findings, the keys of the items in order by area,
    counts by area, and the lapse timeline."""

    findings: tuple
    green: dict
    counts: list
    months: list
    chart: object
    upcoming: tuple
    lapse_total: int


@per_snapshot
def _summarise(snapshot, filters):
    scope = queries.Scope.of(filters, snapshot)
    in_scope = queries.findings_in_scope(snapshot, scope)
    listed = () if filters.lists_green else tuple(
        finding for finding in in_scope if filters.selects(finding))
    green = queries.green_items(snapshot, scope, in_scope)
    lapses = timeline.lapses(snapshot, scope)
    months = timeline.by_month(snapshot.assessment.today, lapses)
    return Summary(findings=listed, green=green, counts=queries.area_counts(in_scope, green),
                   months=months, chart=timeline.chart(months), upcoming=tuple(lapses[:UPCOMING]),
                   lapse_total=len(lapses))


def summarise(snapshot, filters):
    """Return the dashboard's Summary for `filters` (the page number aside)."""
    return _summarise(snapshot, replace(filters, page=1))
