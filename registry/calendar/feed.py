"""The dates of a calendar feed, read from the shared snapshot, and the iCalendar text.

Every date comes from the assessment the dashboard and the portal read (registry.checks,
assessed once per registry revision): the current DPA of each active controller (expiry and
review), the evidence currently meeting each requirement (the day it lapses, once per
attestation), open objection periods (the `engagement_objection_period` findings' due days)
and open returns or deletions. Nothing is recomputed per event, and the text of one audience
is kept while the snapshot is unchanged (`per_snapshot`).

Staff and auditors see every date; a subcontractor user only its own company's evidence and
returns or deletions, as in the portal.
"""

from dataclasses import dataclass
from datetime import UTC, date, timedelta
from urllib.parse import urlsplit

from flask import current_app, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from icalendar import Alarm, Calendar, Event

from registry.compliance import current_dpa
from registry.listing import per_snapshot
from registry.models import utcnow
from registry.return_or_deletion import queries as return_or_deletion

STAFF_AUDIENCE = "staff"
REMINDER = timedelta(days=-7)


@dataclass(frozen=True)
class FeedDate:
    """One all-day event of a feed."""

    uid: str
    on: date
    summary: str
    description: str
    url: str
    subcontractor_id: int | None = None


def _dpa_dates(snapshot):
    facts, today = snapshot.facts, snapshot.assessment.today
    names = {c.id: c.name for c in facts.controllers if c.is_active_on(today)}
    by_controller = {}
    for dpa in facts.dpas:
        if dpa.controller_id in names:
            by_controller.setdefault(dpa.controller_id, []).append(dpa)
    for controller_id, dpas in sorted(by_controller.items()):
        dpa = current_dpa(dpas, today)
        if dpa is None:
            continue
        url = url_for("dpas.show_dpa", dpa_id=dpa.id, _external=True)
        name = _("DPA v%(version)s with %(controller)s", version=dpa.version,
                 controller=names[controller_id])
        if dpa.expires_on:
            yield FeedDate(f"dpa-{dpa.id}-expiry", dpa.expires_on,
                           _("%(name)s expires", name=name),
                           _("The DPA's last day in force."), url)
        if dpa.review_due_on:
            yield FeedDate(f"dpa-{dpa.id}-review", dpa.review_due_on,
                           _("%(name)s is due for review", name=name),
                           _("The review date recorded on the DPA."), url)


def _attestation_dates(snapshot, portal):
    names = {s.id: s.name for s in snapshot.facts.subcontractors}
    seen = set()
    for subcontractor_id, groups in sorted(snapshot.assessment.requirement_matrix.items()):
        for group in groups:
            if group.satisfied_by is None or group.valid_until is None:
                continue
            if group.satisfied_by in seen:
                continue
            seen.add(group.satisfied_by)
            url = (url_for("portal.show_portal", _external=True) if portal else
                   url_for("subcontractors.show_subcontractor", subcontractor_id=subcontractor_id,
                           _external=True))
            yield FeedDate(
                f"attestation-{group.satisfied_by}-lapses", group.valid_until,
                _("%(subcontractor)s: %(requirement)s lapses",
                  subcontractor=names.get(subcontractor_id, "?"), requirement=group.label),
                _("The last day the current evidence meets this requirement: new evidence "
                  "is needed before it."), url, subcontractor_id)


def _objection_dates(snapshot):
    names = return_or_deletion.names_of(snapshot)
    for finding in snapshot.assessment.findings:
        if finding.code != "engagement_objection_period" or finding.due_on is None:
            continue
        yield FeedDate(
            f"engagement-{finding.subject_id}-controller-{finding.controller_id}-objection",
            finding.due_on, _("Objection deadline: %(subcontractor)s for %(controller)s",
                              subcontractor=names["subcontractors"].get(finding.subcontractor_id),
                              controller=names["controllers"].get(finding.controller_id)),
            _("The last day the controller may object to the new subcontractor."),
            url_for("engagements.show_engagement", engagement_id=finding.subject_id,
                    _external=True))


def _return_or_deletion_dates(snapshot, portal):
    today = snapshot.assessment.today
    names = return_or_deletion.names_of(snapshot)
    for item in return_or_deletion.items_of(snapshot):
        if item.state(today) == "done":
            continue
        if portal:
            url = url_for("portal.show_return_or_deletion", item_key=item.key, _external=True)
        else:
            url = url_for("return_or_deletion.show_item", item_key=item.key, _external=True)
        label = return_or_deletion.label_of(item, names, holder_known=portal)
        yield FeedDate(f"return-or-deletion-{item.key}", item.due_on,
                       _("Due: %(label)s", label=label),
                       _("The certificate of return or deletion is due by this day."), url,
                       item.subcontractor_id)


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


def _event(feed_date, domain, stamp):
    event = Event()
    event.add("uid", f"{feed_date.uid}@{domain}")
    event.add("dtstamp", stamp)
    event.add("dtstart", feed_date.on)
    event.add("dtend", feed_date.on + timedelta(days=1))
    event.add("summary", feed_date.summary)
    event.add("description", f"{feed_date.description}\n{feed_date.url}")
    event.add("url", feed_date.url)
    event.add("transp", "TRANSPARENT")
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", feed_date.summary)
    alarm.add("trigger", REMINDER)
    event.add_component(alarm)
    return event


@per_snapshot
def feed_text(snapshot, audience, language):
    """Return the iCalendar bytes of `audience`'s feed in `language` (kept per snapshot)."""
    with force_locale(language):
        dates = feed_dates(snapshot, audience)
        name = _("%(registry)s deadlines", registry=current_app.config["REGISTRY_NAME"])
    domain = urlsplit(current_app.config["BASE_URL"]).hostname or "dpa-registry"
    calendar = Calendar()
    calendar.add("prodid", "-//dpa-registry//calendar feed//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", timedelta(hours=1))
    stamp = utcnow().replace(microsecond=0, tzinfo=UTC)
    for feed_date in dates:
        calendar.add_component(_event(feed_date, domain, stamp))
    return calendar.to_ical()
