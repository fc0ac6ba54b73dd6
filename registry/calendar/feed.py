"""The dates of a calendar feed, read from the shared snapshot, and the iCalendar text.

Every date comes from the assessment the dashboard and the portal read (registry.checks,
assessed once per registry revision): the current DPA of each active controller (expiry and
review), the evidence currently meeting each requirement (the day it lapses, once per
attestation), open objection periods (the `engagement_objection_period` findings' due days)
and open returns or deletions. Nothing is recomputed per event (each text and route is made
once per feed), the text of one audience is kept while the snapshot is unchanged
(`per_snapshot`), and each event's encoding while it is unchanged (registry.calendar.ics).

Staff and auditors see every date; a subcontractor user only its own company's evidence and
returns or deletions, as in the portal.
"""

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

from flask import current_app, url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from registry.calendar.ics import calendar_bytes
from registry.compliance import current_dpa
from registry.listing import per_snapshot
from registry.return_or_deletion import queries as return_or_deletion

STAFF_AUDIENCE = "staff"


@dataclass(frozen=True)
class FeedDate:
    """One all-day event of a feed."""

    uid: str
    on: date
    summary: str
    description: str
    url: str
    subcontractor_id: int | None = None


def _link(endpoint, argument=None):
    """Return value -> absolute URL of `endpoint`, building the route once, not per event."""
    if argument is None:
        url = url_for(endpoint, _external=True)
        return lambda _value: url
    marker = "987654321"
    head, _, tail = url_for(endpoint, **{argument: int(marker) if argument.endswith("_id")
                                         else marker}, _external=True).rpartition(marker)
    return lambda value: f"{head}{value}{tail}"


def _dpa_dates(snapshot):
    facts, today = snapshot.facts, snapshot.assessment.today
    names = {c.id: c.name for c in facts.controllers if c.is_active_on(today)}
    by_controller = {}
    for dpa in facts.dpas:
        if dpa.controller_id in names:
            by_controller.setdefault(dpa.controller_id, []).append(dpa)
    link, title = _link("dpas.show_dpa", "dpa_id"), _("DPA v%(version)s with %(controller)s")
    expires, expiry_text = _("%(name)s expires"), _("The DPA's last day in force.")
    review, review_text = _("%(name)s is due for review"), _("The review date recorded on the DPA.")
    for controller_id, dpas in sorted(by_controller.items()):
        dpa = current_dpa(dpas, today)
        if dpa is None:
            continue
        name = title % {"version": dpa.version, "controller": names[controller_id]}
        if dpa.expires_on:
            yield FeedDate(f"dpa-{dpa.id}-expiry", dpa.expires_on, expires % {"name": name},
                           expiry_text, link(dpa.id))
        if dpa.review_due_on:
            yield FeedDate(f"dpa-{dpa.id}-review", dpa.review_due_on, review % {"name": name},
                           review_text, link(dpa.id))


def _attestation_dates(snapshot, portal):
    names = {s.id: s.name for s in snapshot.facts.subcontractors}
    link = (_link("portal.show_portal") if portal else
            _link("subcontractors.show_subcontractor", "subcontractor_id"))
    summary = _("%(subcontractor)s: %(requirement)s lapses")
    text = _("The last day the current evidence meets this requirement: new evidence is "
             "needed before it.")
    seen = set()
    for subcontractor_id, groups in sorted(snapshot.assessment.requirement_matrix.items()):
        for group in groups:
            if group.satisfied_by is None or group.valid_until is None:
                continue
            if group.satisfied_by in seen:
                continue
            seen.add(group.satisfied_by)
            yield FeedDate(
                f"attestation-{group.satisfied_by}-lapses", group.valid_until,
                summary % {"subcontractor": names.get(subcontractor_id, "?"),
                           "requirement": group.label},
                text, link(subcontractor_id), subcontractor_id)


def _objection_dates(snapshot):
    names = return_or_deletion.names_of(snapshot)
    link = _link("engagements.show_engagement", "engagement_id")
    summary = _("Objection deadline: %(subcontractor)s for %(controller)s")
    text = _("The last day the controller may object to the new subcontractor.")
    for finding in snapshot.assessment.findings:
        if finding.code != "engagement_objection_period" or finding.due_on is None:
            continue
        yield FeedDate(
            f"engagement-{finding.subject_id}-controller-{finding.controller_id}-objection",
            finding.due_on,
            summary % {"subcontractor": names["subcontractors"].get(finding.subcontractor_id),
                       "controller": names["controllers"].get(finding.controller_id)},
            text, link(finding.subject_id))


def _return_or_deletion_dates(snapshot, portal):
    today = snapshot.assessment.today
    names = return_or_deletion.names_of(snapshot)
    link = (_link("portal.show_return_or_deletion", "item_key") if portal else
            _link("return_or_deletion.show_item", "item_key"))
    summary = _("Due: %(label)s")
    text = _("The certificate of return or deletion is due by this day.")
    for item in return_or_deletion.items_of(snapshot):
        if item.state(today) == "done":
            continue
        label = return_or_deletion.label_of(item, names, holder_known=portal)
        yield FeedDate(f"return-or-deletion-{item.key}", item.due_on, summary % {"label": label},
                       text, link(item.key), item.subcontractor_id)


def feed_dates(snapshot, audience):
    """Return the FeedDates `audience` (STAFF_AUDIENCE or a subcontractor id) may see."""
    if audience == STAFF_AUDIENCE:
        found = [*_dpa_dates(snapshot), *_attestation_dates(snapshot, portal=False),
                 *_objection_dates(snapshot), *_return_or_deletion_dates(snapshot, portal=False)]
    else:
        found = [feed_date for feed_date in (*_attestation_dates(snapshot, portal=True),
                                             *_return_or_deletion_dates(snapshot, portal=True))
                 if feed_date.subcontractor_id == audience]
    return sorted(found, key=lambda feed_date: (feed_date.on, feed_date.uid))


@per_snapshot
def feed_text(snapshot, audience, language):
    """Return the iCalendar bytes of `audience`'s feed in `language` (kept per snapshot)."""
    with force_locale(language):
        dates = feed_dates(snapshot, audience)
        name = _("%(registry)s deadlines", registry=current_app.config["REGISTRY_NAME"])
    domain = urlsplit(current_app.config["BASE_URL"]).hostname or "dpa-registry"
    return calendar_bytes(dates, name, domain)
