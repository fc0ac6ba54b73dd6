"""The processor's public sub-processor list and its changes, when PUBLIC_SUBPROCESSORS is on.

It names sub-processors only, never a controller: which sub-processors process some client's
data today (active, with an engagement not withdrawn), which are proposed (a notice was given),
and the dated changes across the processor for the feed and the subscribers' e-mails.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _

from registry.controller_pages.feed import Change
from registry.reports.data.common import joined, transfer_summary


@dataclass(frozen=True)
class PublicEntry:
    """One sub-processor as the public list shows it."""

    name: str
    engaged_by: str
    purpose: str
    data_categories: str
    locations: str
    safeguard: str
    notified_on: date | None = None


def _engagements_by_subcontractor(snapshot):
    grouped = defaultdict(list)
    for engagement in snapshot.facts.engagements:
        if engagement.subcontractor_id in snapshot.subcontractors:
            grouped[engagement.subcontractor_id].append(engagement)
    return grouped


def _current(engagements, today):
    return [engagement for engagement in engagements
            if not (engagement.withdrawn_on and engagement.withdrawn_on <= today)]


def _entry(snapshot, subcontractor_id, notified_on=None):
    row = snapshot.subcontractors[subcontractor_id]
    facts = snapshot.subcontractor_facts[subcontractor_id].as_of(snapshot.today)
    parent = snapshot.subcontractors.get(facts.parent_id)
    return PublicEntry(
        name=row["name"], engaged_by=parent["name"] if parent else "", purpose=row["purpose"],
        data_categories=joined(row["data_categories"]),
        locations=joined(row["processing_countries"]),
        safeguard=transfer_summary(facts, row)["mechanism"], notified_on=notified_on)


def public_list(snapshot):
    """Return (sub-processors in use, sub-processors proposed), each sorted by name."""
    today, in_use, proposed = snapshot.today, [], []
    for subcontractor_id, engagements in _engagements_by_subcontractor(snapshot).items():
        current = _current(engagements, today)
        if not current:
            continue
        status = snapshot.subcontractor_facts[subcontractor_id].as_of(today).status
        notified = [engagement.notified_on for engagement in current
                    if engagement.notified_on and engagement.notified_on <= today]
        if status == "active":
            in_use.append(_entry(snapshot, subcontractor_id))
        elif status == "proposed" and notified:
            proposed.append(_entry(snapshot, subcontractor_id, min(notified)))
    return (sorted(in_use, key=lambda entry: entry.name.casefold()),
            sorted(proposed, key=lambda entry: entry.name.casefold()))


def public_changes(snapshot):
    """Return the processor-wide changes up to the snapshot's day, newest first."""
    found = []
    for subcontractor_id, engagements in _engagements_by_subcontractor(snapshot).items():
        name = snapshot.subcontractor_name(subcontractor_id)
        notified = [engagement.notified_on for engagement in engagements
                    if engagement.notified_on]
        if notified:
            found.append(Change(min(notified), f"subcontractor/{subcontractor_id}/proposed",
                                _("Sub-processor proposed: %(name)s", name=name),
                                _("We gave our clients notice that we intend to engage "
                                  "%(name)s.", name=name)))
        withdrawn = [engagement.withdrawn_on for engagement in engagements]
        if withdrawn and all(withdrawn):
            found.append(Change(max(withdrawn), f"subcontractor/{subcontractor_id}/withdrawn",
                                _("Sub-processor no longer used: %(name)s", name=name),
                                _("%(name)s no longer processes our clients' personal data.",
                                  name=name)))
    found = [change for change in found if change.day <= snapshot.today]
    return sorted(found, key=lambda change: (change.day, change.key), reverse=True)
