"""The Atom feed of one controller's page: one entry per change that concerns it.

Entries are derived from the dated facts the engine reads (no event table to keep in step):
a sub-processor proposed (notice given), authorised, objected to or withdrawn, a DPA version
signed, ended or expired. Only what has happened by `today` is listed, newest first.
"""

from dataclasses import dataclass
from datetime import date, datetime, time
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from feedgen.feed import FeedGenerator
from flask import current_app
from flask_babel import gettext as _

from registry.mail import base_url
from registry.reports.data.common import authorisation_basis, dpa_name, engagement_status

MAX_ENTRIES = 100


@dataclass(frozen=True)
class Change:
    """One entry: when, what (a short key for its id), a title and a sentence."""

    day: date
    key: str
    title: str
    text: str


def changes(snapshot, controller_id):
    """Return the changes that concern one controller up to the snapshot's day, newest first."""
    found = [*_engagement_changes(snapshot, controller_id), *_dpa_changes(snapshot, controller_id)]
    found = [change for change in found if change.day <= snapshot.today]
    return sorted(found, key=lambda change: (change.day, change.key), reverse=True)[:MAX_ENTRIES]


def _engagement_changes(snapshot, controller_id):
    dpa = snapshot.current_dpa(controller_id)
    dpas = snapshot.dpas_by_controller.get(controller_id, ())
    for engagement in snapshot.facts.engagements:
        if engagement.controller_id not in (None, controller_id) or \
                engagement.subcontractor_id not in snapshot.subcontractors:
            continue
        name = snapshot.subcontractor_name(engagement.subcontractor_id)
        key = f"engagement/{engagement.id}"
        if engagement.notified_on:
            yield Change(engagement.notified_on, f"{key}/proposed",
                         _("Sub-processor proposed: %(name)s", name=name),
                         _("We gave notice that we intend to engage %(name)s to process your "
                           "data.", name=name))
        status = engagement_status(snapshot, engagement, controller_id)
        since, basis = authorisation_basis(engagement, dpa, status, snapshot.today, dpas)
        if since:
            yield Change(since, f"{key}/authorised",
                         _("Sub-processor authorised: %(name)s", name=name),
                         _("%(name)s is authorised to process your data (%(basis)s).",
                           name=name, basis=basis))
        if engagement.objected_on and engagement.controller_id == controller_id:
            late = status != "objected"
            yield Change(engagement.objected_on, f"{key}/objected",
                         _("Objection received late: %(name)s", name=name) if late
                         else _("Objection recorded: %(name)s", name=name),
                         _("Your objection to %(name)s was recorded after the objection period; "
                           "our legal staff review it.", name=name) if late
                         else _("Your objection to %(name)s was recorded; it does not process "
                                "your data.", name=name))
        if engagement.withdrawn_on:
            yield Change(engagement.withdrawn_on, f"{key}/withdrawn",
                         _("Sub-processor withdrawn: %(name)s", name=name),
                         _("%(name)s no longer processes your data.", name=name))


def _dpa_changes(snapshot, controller_id):
    for dpa in snapshot.dpas_by_controller.get(controller_id, ()):
        name, key = dpa_name(dpa), f"dpa/{dpa.id}"
        if dpa.signed_on:
            yield Change(dpa.signed_on, f"{key}/signed", _("DPA signed: %(name)s", name=name),
                         _("%(name)s was signed on %(day)s.", name=name,
                           day=dpa.signed_on.isoformat()))
        if dpa.terminated_on:
            yield Change(dpa.terminated_on, f"{key}/ended", _("DPA ended: %(name)s", name=name),
                         _("%(name)s ended on %(day)s.", name=name,
                           day=dpa.terminated_on.isoformat()))
        elif dpa.expires_on and dpa.expires_on < snapshot.today:
            yield Change(dpa.expires_on, f"{key}/expired", _("DPA expired: %(name)s", name=name),
                         _("%(name)s expired on %(day)s.", name=name,
                           day=dpa.expires_on.isoformat()))


def _instant(day):
    return datetime.combine(day, time(0), tzinfo=ZoneInfo(current_app.config["TIMEZONE"]))


def _tag(path):
    # A tag URI (RFC 4151): stable entry ids that name the installation but not the token.
    return f"tag:{urlsplit(base_url()).hostname or 'localhost'},2026:{path}"


def atom_feed(snapshot, controller_id, page_url, feed_url):
    """Return the Atom document (bytes) of one controller's changes."""
    controller = snapshot.controllers[controller_id]
    return atom_document(f"controller/{controller_id}",
                         _("Sub-processor changes for %(name)s", name=controller["name"]),
                         snapshot,
                         changes(snapshot, controller_id), page_url, feed_url)


def atom_document(path, title, snapshot, found, page_url, feed_url):
    """Return an Atom document (bytes) of `found` changes, identified by the tag `path`."""
    feed = FeedGenerator()
    feed.id(_tag(path))
    feed.title(title)
    feed.author({"name": snapshot.settings.get("processor_name")
                 or current_app.config["REGISTRY_NAME"]})
    feed.link(href=feed_url, rel="self")
    feed.link(href=page_url, rel="alternate")
    feed.updated(_instant(found[0].day if found else snapshot.today))
    for change in reversed(found):  # feedgen puts each new entry first
        entry = feed.add_entry()
        entry.id(_tag(f"{path}/{change.key}"))
        entry.title(change.title)
        entry.updated(_instant(change.day))
        entry.content(change.text, type="text")
        entry.link(href=page_url, rel="alternate")
    return feed.atom_str(pretty=True)
