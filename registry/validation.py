"""The rules a record must meet wherever it comes from: a form, an import or the API.

Each validator is a plain function of plain values returning the message that refuses them, or
None when they are fine. Forms wrap them (`registry.form_validation`) and the importer reports
their messages at the record's place in the file, so a date refused on one page is refused with
the same words in a spreadsheet. Nothing here reads the clock: `today` is always passed in.
"""

import re
from datetime import UTC, date, datetime, timedelta

import idna

from registry.business_id import normalise_y_tunnus, y_tunnus_error
from registry.compliance.dates import add_months
from registry.i18n import language_for_country

# Text limits; docs/import-export.md lists them for each field.
KEY_LENGTH = 100
NAME_LENGTH = 200
LONG_TEXT_LENGTH = 5_000
INSTRUCTION_TEXT_LENGTH = 20_000
LIST_ITEM_LENGTH = 200
LIST_ITEMS = 100

MAX_OBJECTION_PERIOD_DAYS = 365
MAX_BREACH_NOTICE_HOURS = 720
EARLIEST_EVIDENCE_DATE = date(2000, 1, 1)

# Dates that record something that happened, so they cannot lie after today.
PAST_DATES = {
    "signed_on": "The signature date",
    "received_on": "The date received",
    "acknowledged_on": "The acknowledgement date",
    "notified_on": "The notice date",
    "objected_on": "The objection date",
    "approved_on": "The approval date",
    "withdrawn_on": "The withdrawal date",
    "offboarded_on": "The offboarding date",
    "tia_on": "The transfer impact assessment date",
    "issued_on": "The issue date",
    "period_start": "The report period's first day",
}
EVIDENCE_DATE_LABELS = {
    "issued_on": "issue or report date (issued_on)",
    "period_start": "first day of the report period (period_start)",
    "period_end": "last day of the report period (period_end)",
    "valid_until": "expiry date (valid_until)",
}


def future_date_error(name, value, today):
    """Return why `value`, the date field `name` (one of PAST_DATES), is after `today`."""
    if value is not None and value > today:
        return f"{PAST_DATES[name]} cannot be in the future."
    return None


def dpa_expiry_error(signed_on, effective_from, expires_on):
    """Return why a DPA's expiry is refused: it must come after the day it comes into force."""
    start = effective_from or signed_on
    if start is not None and expires_on is not None and expires_on <= start:
        return "The expiry date must come after the day it comes into force."
    return None


def report_period_error(period_start, period_end):
    """Return why a report period is refused: it cannot end before it starts."""
    if period_start is not None and period_end is not None and period_end < period_start:
        return "The period cannot end before it starts."
    return None


def business_id_error(country, business_id):
    """Return why a party's business ID is refused: a Finnish party needs a valid Y-tunnus."""
    if country != "FI":
        return None
    if not (business_id or "").strip():
        return "Enter the Y-tunnus of this Finnish company."
    reason = y_tunnus_error(business_id)
    return f"This is not a valid Y-tunnus: {reason}." if reason else None


def stored_business_id(country, business_id):
    """Return a business ID as it is stored: trimmed, a Y-tunnus as 1234567-8, None when empty."""
    business_id = (business_id or "").strip()
    if not business_id:
        return None
    return normalise_y_tunnus(business_id) if country == "FI" else business_id


def stored_language(country, language):
    """Return a company's language as stored: the one chosen, else its country's."""
    return language or language_for_country(country)


def objection_period_error(days):
    """Return why a DPA's objection period is refused: 0 days is no period at all."""
    if days is not None and not 1 <= days <= MAX_OBJECTION_PERIOD_DAYS:
        return f"The objection period must be from 1 to {MAX_OBJECTION_PERIOD_DAYS} days."
    return None


def objection_deadline_error(notified_on, deadline, period_days=None):
    """Return why an engagement's objection deadline is refused.

    It cannot precede the notice, and with the DPA's objection period known (`period_days`) it
    is never earlier than notice + that period: a shorter stated deadline would cut the
    controller's right to object short.
    """
    if deadline is None:
        return None
    if notified_on is None:
        return "An objection deadline needs the notice date (notified_on)."
    if deadline < notified_on:
        return "The objection deadline cannot be before the notice date."
    if period_days and deadline < notified_on + timedelta(days=period_days):
        earliest = notified_on + timedelta(days=period_days)
        return (f"The objection deadline cannot be before {earliest.isoformat()}: the DPA gives "
                f"the controller {period_days} days from the notice to object.")
    return None


def controller_end_error(status, ended_on):
    """Return why an ended controller is refused without the day it ended."""
    if status == "ended" and ended_on is None:
        return "Enter the day the controller relationship ended."
    return None


def return_or_deletion_error(status, terminated_on, return_or_deletion):
    """Return why a DPA's termination is refused: it must say what happens to the data."""
    if (status == "terminated" or terminated_on is not None) and not return_or_deletion:
        return ("Choose what happens to the personal data at the end: return, deletion, or "
                "return then deletion.")
    return None


def required_evidence_dates(kind):
    """Return the date fields without which evidence of attestation type `kind` cannot be dated.

    The field its validity counts from (`validity_basis`), and the stated expiry of a type that
    has no default validity (a cyber insurance certificate counts only within its policy).
    """
    names = [kind.validity_basis]
    if kind.has_stated_expiry and kind.default_validity_months is None:
        names.append("valid_until")
    return names


def missing_evidence_date_message(kind, name):
    """Return the message for evidence of `kind` without the date field `name`."""
    return (f"Enter the {EVIDENCE_DATE_LABELS[name]}: without it this {kind.name} cannot be "
            "dated, so it would count for nothing.")


def longest_valid_until(kind, dates):
    """Return the latest expiry evidence of `kind` may state (None: the type sets no limit)."""
    basis = dates.get(kind.validity_basis)
    if kind.default_validity_months is None or basis is None:
        return None
    return add_months(basis, kind.default_validity_months)


def evidence_date_problems(kind, dates, today):
    """Return {date field: message} for the dates of one piece of evidence of type `kind`.

    `dates` holds issued_on, period_start, period_end and valid_until (absent or None: not
    given). A stated expiry beyond the type's longest validity is refused, not capped: the
    person entering it has misread the document or chosen the wrong type.
    """
    problems = {}
    for name in required_evidence_dates(kind):
        if dates.get(name) is None:
            problems[name] = missing_evidence_date_message(kind, name)
    for name, value in dates.items():
        if value is not None and value < EARLIEST_EVIDENCE_DATE:
            problems.setdefault(name, "Check the year: this date is too far in the past.")
    issued_on, until = dates.get("issued_on"), dates.get("valid_until")
    start, end = dates.get("period_start"), dates.get("period_end")
    for name in ("issued_on", "period_start"):
        message = future_date_error(name, dates.get(name), today)
        if message:
            problems.setdefault(name, message)
    period_message = report_period_error(start, end)
    if period_message:
        problems.setdefault("period_end", period_message)
    elif end is not None and end >= today:
        problems.setdefault("period_end", "The report period must have ended before today.")
    if issued_on is not None and end is not None and issued_on < end:
        problems.setdefault("issued_on", "The report date cannot be before the end of the "
                                         "period it reports on.")
    if issued_on is not None and until is not None and until <= issued_on:
        problems.setdefault("valid_until", "The expiry date must be after the issue date.")
    longest = longest_valid_until(kind, dates)
    if until is not None and longest is not None and until > longest:
        problems.setdefault("valid_until", (
            f"The expiry date cannot be after {longest.isoformat()}: this {kind.name} counts "
            f"for at most {kind.default_validity_months} months from its "
            f"{EVIDENCE_DATE_LABELS[kind.validity_basis]}."))
    return problems


def parent_error(subcontractor, parent, parents, offboarded=frozenset(), current=None,
                 names=None):
    """Return why `parent` cannot be the sub-processor that engages `subcontractor`.

    Subcontractors are named alike by id (forms) or key (imports); `subcontractor` is None for
    one not yet created. `parents` maps each known subcontractor to its parent (None: engaged
    directly) as they will stand; `offboarded` holds those offboarded, which engage no new
    sub-processors (`current`, the parent already on record, may stay); `names` labels them in
    the message. A chain cannot loop: no sub-processor is engaged, even through others, by one
    it engages (GDPR Art. 28(4)).
    """
    if parent is None:
        return None
    def label(item):
        return str((names or {}).get(item, item))
    if parent == subcontractor:
        return "A sub-processor cannot be engaged by itself."
    if parent in offboarded and parent != current:
        return f"{label(parent)} was offboarded: it can no longer engage sub-processors."
    chain = [parent]
    link = parents.get(parent)
    while link is not None and link not in chain:
        chain.append(link)
        if link == subcontractor:
            path = " → ".join(label(item) for item in [subcontractor, *chain])
            return (f"That would make a loop: {path} (each engaged by the next); a chain of "
                    "sub-processors cannot loop.")
        link = parents.get(link)
    return None


# Incidents: instants are typed as local wall-clock times in REGISTRY_TIMEZONE (or with their
# UTC offset); counts are approximate numbers of people and records.
INSTANT_PATTERN = re.compile(
    r"(\d{4}-\d{2}-\d{2})[T ](\d{1,2}:\d{2}(?::\d{2})?)\s*(Z|[+-]\d{2}:?\d{2})?")
INSTANT_EXAMPLE = "e.g. 2026-11-25 14:30"
MAX_APPROXIMATE_COUNT = 10_000_000_000
EARLIEST_INCIDENT_YEAR = 2000


class InstantError(ValueError):
    """A typed date and time that names no single instant; the message says why."""


def parse_instant(text, zone):
    """Return the aware instant `text` names: `YYYY-MM-DD HH:MM[:SS]`, local to `zone` unless it
    ends in a UTC offset (`+02:00`, `Z`). Raise InstantError when the time does not exist
    (clocks moved forward) or exists twice (clocks moved back) there."""
    match = INSTANT_PATTERN.fullmatch((text or "").strip())
    if not match:
        raise InstantError(f"Enter the date and time as YYYY-MM-DD HH:MM, {INSTANT_EXAMPLE}.")
    day, clock, offset = match.groups()
    hour, minutes = clock.split(":", 1)
    try:
        wall = datetime.fromisoformat(f"{day}T{int(hour):02d}:{minutes}")
    except ValueError:
        raise InstantError(f"That date or time does not exist; {INSTANT_EXAMPLE}.") from None
    if offset:
        offset = "+00:00" if offset == "Z" else offset[:3] + ":" + offset[-2:]
        try:
            return datetime.fromisoformat(wall.isoformat() + offset)
        except ValueError:
            raise InstantError("The UTC offset must look like +02:00 or -05:00.") from None
    return _local_instant(wall, zone)


def _local_instant(wall, zone):
    first, second = wall.replace(tzinfo=zone, fold=0), wall.replace(tzinfo=zone, fold=1)
    if first.utcoffset() != second.utcoffset():
        if first.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != wall:
            raise InstantError(
                f"{wall:%H:%M} did not happen on {wall:%Y-%m-%d} in {zone.key}: the clocks "
                "moved forward an hour. Check the time.")
        raise InstantError(
            f"{wall:%H:%M} happened twice on {wall:%Y-%m-%d} in {zone.key}, as the clocks "
            f"moved back. Add the UTC offset to say which: {wall:%Y-%m-%d %H:%M}"
            f"{_offset(first)} or {wall:%Y-%m-%d %H:%M}{_offset(second)}.")
    return first


def _offset(moment):
    text = moment.strftime("%z")
    return f"{text[:3]}:{text[3:]}"


def past_instant_error(label, value, now):
    """Return why the instant `value` (what `label` names) is refused: after `now`, or too old."""
    if value is None:
        return None
    if value.astimezone(UTC) > now.astimezone(UTC):
        return f"{label} cannot be in the future."
    if value.year < EARLIEST_INCIDENT_YEAR:
        return "Check the year: this is too far in the past."
    return None


def subcontractor_awareness_error(subcontractor_aware_at, aware_at):
    """Return why a subcontractor's own awareness is refused: it reported after learning of it."""
    if subcontractor_aware_at is not None and aware_at is not None \
            and subcontractor_aware_at.astimezone(UTC) > aware_at.astimezone(UTC):
        return ("The subcontractor cannot have become aware after its report reached you; "
                "check both times.")
    return None


def approximate_count_error(value):
    """Return why an approximate number of data subjects or records is refused."""
    if value is not None and not 0 <= value <= MAX_APPROXIMATE_COUNT:
        return "Enter an approximate number, 0 or more; leave it empty while it is not known."
    return None


# E-mail addresses: mail goes out through servers that need not speak SMTPUTF8 (RFC 6531), so an
# address is stored as plain ASCII: a non-ASCII domain as IDNA (punycode), and a local part
# outside ASCII is refused, since no server could be relied on to deliver to it.
EMAIL_SHAPE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")


def _idna_domain(domain):
    return idna.encode(domain.lower(), uts46=True).decode()


def email_error(address):
    """Return why `address` cannot receive the registry's mail, or None."""
    address = (address or "").strip()
    if not EMAIL_SHAPE.fullmatch(address):
        return f"“{address}” is not an e-mail address such as name@example.com."
    local, _, domain = address.rpartition("@")
    if not local.isascii():
        return (f"“{address}” has letters such as ä or é before the @, which mail servers may "
                "not deliver to. Use an address with only unaccented letters, digits and "
                ". _ - + before the @.")
    try:
        _idna_domain(domain)
    except idna.IDNAError:
        return f"“{address}”: the part after the @ is not a valid domain name."
    return None


def stored_email(address):
    """Return `address` as stored: trimmed, the domain lower-cased in IDNA (punycode) form.

    Call `email_error` first; an address it refuses is returned trimmed only.
    """
    address = (address or "").strip()
    local, _, domain = address.rpartition("@")
    try:
        return f"{local}@{_idna_domain(domain)}"
    except idna.IDNAError:
        return address
