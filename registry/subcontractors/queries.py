"""Reads behind the subcontractor list and its CSV export, in a fixed number of queries.

The filters that are columns (search, tier, country, status) run in SQL; the worst finding comes
from the compliance snapshot, so filtering and sorting by it happen on the light rows in Python,
and only the page shown is loaded in full.
"""

from dataclasses import dataclass, field, replace

from peewee import fn

from registry.collation import sort_key
from registry.compliance import Severity, worst
from registry.compliance.facts import RISK_TIERS, SUBCONTRACTOR_STATUSES
from registry.models import Engagement, Subcontractor

PAGE_SIZE = 25
STATUS_FILTERS = ("current", *SUBCONTRACTOR_STATUSES, "all")
SEVERITIES = tuple(severity.value for severity in Severity)
SORTS = ("name", "worst", "tier", "country", "status")
MAX_SEARCH = 100


@dataclass(frozen=True)
class ListFilters:
    """What the list shows: search text, filters, sort order and page."""

    q: str = ""
    tier: str = ""
    country: str = ""
    status: str = "current"
    worst: str = ""
    sort: str = "name"
    direction: str = "asc"
    page: int = 1

    @classmethod
    def from_args(cls, args):
        """Read the filters from query arguments, ignoring values that are not offered."""
        def choice(name, allowed, default=""):
            value = (args.get(name) or "").strip()
            return value if value in allowed else default

        return cls(
            q=" ".join((args.get("q") or "").split())[:MAX_SEARCH],
            tier=choice("tier", RISK_TIERS),
            country=(args.get("country") or "").strip().upper()[:2],
            status=choice("status", STATUS_FILTERS, "current"),
            worst=choice("worst", SEVERITIES),
            sort=choice("sort", SORTS, "name"),
            direction=choice("direction", ("asc", "desc"), "asc"),
            page=max(args.get("page", 1, type=int) or 1, 1),
        )

    def arguments(self, **changes):
        """Return the non-default filters as query arguments (for links), with `changes`."""
        values = replace(self, **changes)
        defaults = ListFilters()
        return {name: getattr(values, name) for name in self.__dataclass_fields__
                if getattr(values, name) != getattr(defaults, name)}

    @property
    def is_filtered(self):
        """Tell whether anything narrows the list beyond the default."""
        return bool(self.q or self.tier or self.country or self.worst
                    or self.status != "current")


@dataclass(frozen=True)
class ListPage:
    """One page of the list: rows as (subcontractor, worst severity, engagement count)."""

    rows: list
    total: int
    page: int
    pages: int


def _filtered(query, filters):
    conditions = []
    if filters.q:
        needle = filters.q.lower()
        conditions.append(
            fn.LOWER(Subcontractor.name).contains(needle)
            | fn.LOWER(fn.COALESCE(Subcontractor.business_id, "")).contains(needle))
    if filters.tier:
        conditions.append(Subcontractor.risk_tier == filters.tier)
    if filters.country:
        conditions.append(Subcontractor.country == filters.country)
    if filters.status == "current":
        conditions.append(Subcontractor.status != "offboarded")
    elif filters.status != "all":
        conditions.append(Subcontractor.status == filters.status)
    return query.where(*conditions) if conditions else query


def worst_finding(assessment, subcontractor_id):
    """Return the worst severity among the subcontractor's findings (its engagements' too)."""
    return worst(finding.severity
                 for finding in assessment.findings_for_subcontractor(subcontractor_id))


def _sort_key(filters, assessment):
    """Names sort in the alphabetical order of the page's language (registry.collation)."""
    tiers = {tier: rank for rank, tier in enumerate(RISK_TIERS)}
    keys = {
        "name": lambda row: (sort_key(row[1]),),
        "worst": lambda row: (-worst_finding(assessment, row[0]).rank, sort_key(row[1])),
        "tier": lambda row: (-tiers[row[3]], sort_key(row[1])),
        "country": lambda row: (row[2], sort_key(row[1])),
        "status": lambda row: (SUBCONTRACTOR_STATUSES.index(row[4]), sort_key(row[1])),
    }
    return keys[filters.sort]


def matching_ids(filters, assessment):
    """Return the ids of every subcontractor the filters select, in the chosen order."""
    query = Subcontractor.select(Subcontractor.id, Subcontractor.name, Subcontractor.country,
                                 Subcontractor.risk_tier, Subcontractor.status)
    rows = _filtered(query, filters).tuples()
    if filters.worst:
        rows = [row for row in rows if worst_finding(assessment, row[0]).value == filters.worst]
    ordered = sorted(rows, key=_sort_key(filters, assessment),
                     reverse=filters.direction == "desc")
    return [row[0] for row in ordered]


def engagement_counts(subcontractor_ids=None):
    """Return {subcontractor id: number of engagements not withdrawn}."""
    query = (Engagement
             .select(Engagement.subcontractor, fn.COUNT(Engagement.id))
             .where(Engagement.withdrawn_on.is_null())
             .group_by(Engagement.subcontractor))
    if subcontractor_ids is not None:
        query = query.where(Engagement.subcontractor.in_(subcontractor_ids))
    return dict(query.tuples())


def load_rows(ids, assessment):
    """Return (subcontractor, worst severity, engagement count) for `ids`, in that order."""
    if not ids:
        return []
    by_id = {row.id: row for row in Subcontractor.select().where(Subcontractor.id.in_(ids))}
    counts = engagement_counts(ids)
    return [(by_id[id_], worst_finding(assessment, id_), counts.get(id_, 0)) for id_ in ids]


def list_page(filters, assessment, page_size=PAGE_SIZE):
    """Return the page of the list that `filters` asks for (the last one when past the end)."""
    ids = matching_ids(filters, assessment)
    pages = max((len(ids) + page_size - 1) // page_size, 1)
    page = min(filters.page, pages)
    shown = ids[(page - 1) * page_size: page * page_size]
    return ListPage(rows=load_rows(shown, assessment), total=len(ids), page=page, pages=pages)


def export_rows(filters, assessment):
    """Return every selected subcontractor as (row, severity, engagement count), in order."""
    ids = matching_ids(filters, assessment)
    by_id = {row.id: row for row in _filtered(Subcontractor.select(), filters)}
    counts = engagement_counts()
    return [(by_id[id_], worst_finding(assessment, id_), counts.get(id_, 0)) for id_ in ids]


def countries_in_use():
    """Return the countries of registration that occur, for the country filter."""
    query = (Subcontractor.select(Subcontractor.country).distinct()
             .order_by(Subcontractor.country).tuples())
    return [country for (country,) in query if country]


@dataclass(frozen=True)
class ChainLinks:
    """Who engages whom: every subcontractor's parent and name, and the offboarded ones."""

    parents: dict = field(default_factory=dict)
    names: dict = field(default_factory=dict)
    offboarded: frozenset = frozenset()

    @classmethod
    def load(cls):
        """Read the links of every subcontractor (one query)."""
        rows = Subcontractor.select(Subcontractor.id, Subcontractor.name, Subcontractor.parent,
                                    Subcontractor.status).tuples()
        parents, names, offboarded = {}, {}, set()
        for id_, name, parent_id, status in rows:
            parents[id_], names[id_] = parent_id, name
            if status == "offboarded":
                offboarded.add(id_)
        return cls(parents, names, frozenset(offboarded))

    def ancestors(self, subcontractor_id):
        """Return the ids of the sub-processors above one, its parent first (a loop ends it)."""
        chain = []
        link = self.parents.get(subcontractor_id)
        while link is not None and link != subcontractor_id and link not in chain:
            chain.append(link)
            link = self.parents.get(link)
        return chain

    def descendants(self, subcontractor_id):
        """Return the ids of the sub-processors it engages, directly or through others."""
        return {id_ for id_ in self.parents if subcontractor_id in self.ancestors(id_)}


def children_of(subcontractor):
    """Return the sub-processors `subcontractor` engages, by name."""
    return list(Subcontractor.select()
                .where(Subcontractor.parent == subcontractor)
                .order_by(Subcontractor.name, Subcontractor.id))

