"""What an alert message says and to whom: the legal digest, a subcontractor's reminder, the
weekly overdue summary. Built from the details each Alert row stored when it became due."""

import dataclasses
import json
from datetime import date

from flask_babel import gettext, lazy_gettext, lazy_ngettext, ngettext
from flask_babel.speaklater import LazyString
from peewee import fn

from registry.alerts.planner import LEGAL, SUMMARY_KIND, family_of
from registry.auth.operations import LINK_HOURS
from registry.compliance.findings import make_finding
from registry.compliance.messages import from_data
from registry.findings_links import finding_url
from registry.formatting import relative_days
from registry.i18n import DEFAULT_LANGUAGE, LANGUAGES, company_language
from registry.mail import compose, external_links, external_url
from registry.models import Subcontractor, User

SEVERITY_ORDER = ("red", "amber")
SEVERITY_HEADINGS = {"red": lazy_gettext("Non-compliant now"), "amber": lazy_gettext("Due soon")}


class Directory:
    """Who each audience of one run reaches, read in a few queries however many there are.

    Only people who can sign in get alerts: an invited user who never accepted is left out
    (their company's contacts still get its reminders). A company with no account at all is
    offered one: its first reminder announces an invitation for its first contact, which
    `invite_with_reminder` creates once the reminder was sent.
    """

    def __init__(self, audiences):
        ids = {subcontractor_id(audience) for audience in audiences if audience != LEGAL}
        legal = list(User.select(User.email, User.language)
                     .where(User.role.in_(("legal", "admin")) & User.is_active & _accepted())
                     .order_by(User.email))
        self.legal = [user.email for user in legal]
        # Each member of staff reads their e-mail in the language they chose (else English).
        self.legal_languages = {user.email: user.language if user.language in LANGUAGES
                                else DEFAULT_LANGUAGE for user in legal}
        self.names, self.addresses, self.languages = {}, {}, {}
        self.with_account, self.invitations = set(), {}
        if not ids:
            return
        users, with_users = {}, set()
        for user in (User.select(User.email, User.subcontractor, User.is_active,
                                 User.password_hash, User.last_login_at)
                     .where(User.subcontractor.in_(ids)).order_by(User.email)):
            with_users.add(user.subcontractor_id)
            if user.is_active and _has_accepted(user):
                users.setdefault(user.subcontractor_id, []).append(user.email)
                self.with_account.add(user.subcontractor_id)
        for row in Subcontractor.select().where(Subcontractor.id.in_(ids)):
            self.names[row.id] = row.name
            self.languages[row.id] = company_language(row)
            self.addresses[row.id] = _unique([*row.contacts, *users.get(row.id, [])])
            contact = _unique(row.contacts)[:1]
            if row.id not in with_users and contact and not _has_user(contact[0]):
                self.invitations[row.id] = contact[0]

    def recipients(self, audience):
        """Return the addresses `audience` ("legal" or "subcontractor:<id>") reaches."""
        if audience == LEGAL:
            return list(self.legal)
        return list(self.addresses.get(subcontractor_id(audience), []))

    def by_language(self, audience):
        """Return [(language, addresses)] for `audience`: the legal staff split by the language
        each chose (English first, then as LANGUAGES lists them), a company in its own."""
        if audience != LEGAL:
            return [(self.language(audience), self.recipients(audience))]
        batches = {}
        for address in self.legal:
            batches.setdefault(self.legal_languages[address], []).append(address)
        return [(language, batches[language]) for language in LANGUAGES if language in batches]

    def name(self, audience):
        """Return the subcontractor's name for a subcontractor audience ("" otherwise)."""
        return self.names.get(subcontractor_id(audience), "") if audience != LEGAL else ""

    def language(self, audience):
        """Return the language to write to `audience` in (legal staff: None, the default)."""
        return self.languages.get(subcontractor_id(audience)) if audience != LEGAL else None

    def has_account(self, audience):
        """Tell whether the subcontractor has someone who can sign in to the portal."""
        return subcontractor_id(audience) in self.with_account

    def invitation(self, audience):
        """Return the contact address its reminder invites to the portal, or None."""
        return self.invitations.get(subcontractor_id(audience)) if audience != LEGAL else None


def _accepted():
    # Accepted an invitation (chose a password) or signed in some other way (single sign-on).
    return User.password_hash.is_null(False) | User.last_login_at.is_null(False)


def _has_accepted(user):
    return user.password_hash is not None or user.last_login_at is not None


def _has_user(address):
    return User.select().where(fn.LOWER(User.email) == address.lower()).exists()


def subcontractor_id(audience):
    """Return the subcontractor id of a "subcontractor:<id>" audience."""
    return int(audience.partition(":")[2])


def _unique(addresses):
    unique, seen = [], set()
    for address in addresses:
        cleaned = (address or "").strip()
        if cleaned and cleaned.lower() not in seen:
            seen.add(cleaned.lower())
            unique.append(cleaned)
    return unique


def _finding(details):
    due_on = date.fromisoformat(details["due_on"]) if details.get("due_on") else None
    finding = make_finding(details["code"], details["subject_id"], details["message"],
                           due_on=due_on, controller_id=details.get("controller_id"),
                           subcontractor_id=details.get("subcontractor_id"))
    # A code may have more than one kind of subject (a return or deletion: controller or
    # engagement); the stored one decides where the link leads.
    return dataclasses.replace(finding, subject_type=details.get("subject_type",
                                                                 finding.subject_type))


def _legal_link(details):
    with external_links():
        url = finding_url(_finding(details), role="legal")
    if url:
        return url
    for scope in ("subcontractor", "controller"):
        if details.get(f"{scope}_id") is not None:
            return external_url("/dashboard", **{scope: details[f"{scope}_id"]})
    return external_url("/dashboard")


def _upload_link(details):
    if details.get("upload_type"):
        return external_url("/portal/attestations/new", type=details["upload_type"])
    return external_url("/portal/attestations/new", requirement=details.get("requirement"))


def _item(details, today, for_subcontractor):
    due_on = date.fromisoformat(details["due_on"]) if details.get("due_on") else None
    return {
        "severity": details["severity"],
        "message": details["message"],
        # Alerts planned before messages had variants stored the English alone.
        "phrase": from_data(details.get("phrase")),
        "due_on": due_on,
        # Worded when the e-mail is rendered, in its reader's language.
        "when": LazyString(relative_days, due_on, today) if due_on else None,
        "link": _upload_link(details) if for_subcontractor else _legal_link(details),
    }


def _most_urgent_per_item(alerts):
    # A retried alert and a later threshold of the same item travel together: tell it once.
    chosen = {}
    for alert in alerts:
        family = family_of(alert.key)
        known = chosen.get(family)
        if known is None or (alert.threshold or 0) < (known.threshold or 0):
            chosen[family] = alert
    return sorted(chosen.values(), key=lambda alert: alert.id)


def message_items(alerts, today, for_subcontractor=False):
    """Return the items to list, red first, then by due date."""
    items = [_item(json.loads(alert.details), today, for_subcontractor)
             for alert in _most_urgent_per_item(alerts)]
    return sorted(items, key=lambda item: (SEVERITY_ORDER.index(item["severity"])
                                           if item["severity"] in SEVERITY_ORDER else 2,
                                           item["due_on"] or date.max, item["message"]))


def _digest(items, today):
    groups = [(severity, SEVERITY_HEADINGS[severity],
               [item for item in items if item["severity"] == severity])
              for severity in SEVERITY_ORDER]
    groups = [group for group in groups if group[2]]

    def subject():  # composed in the reader's language
        counts = ", ".join(ngettext("%(num)d red", "%(num)d red", len(members))
                           if severity == "red"
                           else ngettext("%(num)d amber", "%(num)d amber", len(members))
                           for severity, _heading, members in groups)
        return gettext("Compliance alerts for %(day)s: %(counts)s", day=today.isoformat(),
                       counts=counts)

    return subject, "alerts/digest", {"groups": groups, "item_count": len(items)}


def _reminder(items, audience, directory):
    count = len(items)
    subject = lazy_ngettext("Reminder: %(num)d item of security evidence is needed",
                            "Reminder: %(num)d items of security evidence are needed", count)
    context = {"items": items, "company": directory.name(audience),
               "portal_url": external_url("/portal"),
               "has_account": directory.has_account(audience),
               "invitation_for": directory.invitation(audience),
               "invitation_hours": LINK_HOURS["invitation"]}
    return subject, "alerts/reminder", context


def _summary(alert, today):
    details = json.loads(alert.details)
    items = [_item(item, today, False) for item in details["items"]]
    subject = lazy_ngettext("Weekly overdue summary: %(num)d expired item",
                            "Weekly overdue summary: %(num)d expired items", len(items))
    return subject, "alerts/overdue_summary", {"items": items}


def build_messages(audience, alerts, directory, today, token):
    """Return [(subject, EmailMessage)] for one group of alerts to one audience: one message,
    or for the legal staff one per language they read in.

    The first message keeps the group's Message-ID (`token`); another language's has the
    language added to it, so that a message sent again after an interruption keeps its id.
    """
    return [build_message(audience, alerts, directory, today,
                          token if index == 0 else _language_message_id(token, language),
                          recipients=recipients, language=language)
            for index, (language, recipients) in enumerate(directory.by_language(audience))]


def _language_message_id(token, language):
    head, at, domain = token.strip("<>").partition("@")
    return f"<{head}.{language}{at}{domain}>" if at else f"{token}.{language}"


def build_message(audience, alerts, directory, today, token, recipients=None, language=None):
    """Return (subject, EmailMessage) for one group of alerts to one audience (`recipients` and
    `language`: a part of it, in its language)."""
    if alerts[0].kind == SUMMARY_KIND:
        subject, template, context = _summary(alerts[0], today)
    elif audience == LEGAL:
        subject, template, context = _digest(message_items(alerts, today), today)
    else:
        items = message_items(alerts, today, for_subcontractor=True)
        subject, template, context = _reminder(items, audience, directory)
    context.update(today=today, dashboard_url=external_url("/dashboard"),
                   alerts_url=external_url("/alerts"))
    message = compose(recipients or directory.recipients(audience), subject, template,
                      message_id=token, language=language or directory.language(audience),
                      **context)
    return str(message["Subject"]), message
