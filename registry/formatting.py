"""How pages present dates ("2026-12-07 (in 12 days)") and which actions they offer.

`init_app` registers the Jinja filters `when` (a `<time>` element with the relative phrase),
`relative` (the phrase alone), `long_date`, `long_instant` and `approximately` (a date, an
instant or a count in words, in the page's or e-mail's language) and `counted` ("1 page",
"3 pages"), the globals `finding_url` and
`subject_url` (registry.findings_links) and `may(endpoint)`, which tells whether the signed-in
user's role may use an endpoint, so that pages hide exactly the buttons the access rules refuse
(auditors see none). "Today" is the registry's day in REGISTRY_TIMEZONE; instants (`*_at`,
naive UTC) are shown in that time zone.
"""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_time
from flask import current_app
from flask_babel import format_date, format_number, get_locale, gettext, ngettext
from flask_login import current_user
from markupsafe import Markup, escape

from registry.auth.access import allows
from registry.clock import local_today
from registry.findings_links import finding_action, finding_url, subject_url

DAYS_PER_MONTH = 30.44


def counted(number, unit, plural=None):
    """Return "1 page" or "3 pages" (`plural` for a noun that does not just add an s)."""
    return f"{number} {unit}" if number == 1 else f"{number} {plural or unit + 's'}"


def _span(days, ahead):
    """"in 12 days" / "3 months ago": a whole phrase per unit and direction, for translators."""
    if days < 45:
        return (ngettext("in %(num)d day", "in %(num)d days", days) if ahead
                else ngettext("%(num)d day ago", "%(num)d days ago", days))
    if days < 730:
        months = round(days / DAYS_PER_MONTH)
        return (ngettext("in %(num)d month", "in %(num)d months", months) if ahead
                else ngettext("%(num)d month ago", "%(num)d months ago", months))
    years = round(days / 365.25)
    return (ngettext("in %(num)d year", "in %(num)d years", years) if ahead
            else ngettext("%(num)d year ago", "%(num)d years ago", years))


def relative_days(day, today):
    """Return how `day` relates to `today` in words: "today", "in 12 days", "3 days ago".

    In the page's language (outside a request, English).
    """
    delta = (day - today).days
    if delta == 0:
        return gettext("today")
    if delta == 1:
        return gettext("tomorrow")
    if delta == -1:
        return gettext("yesterday")
    return _span(abs(delta), ahead=delta > 0)


def local_instant(value):
    """Return a naive-UTC datetime as an aware one in REGISTRY_TIMEZONE."""
    return value.replace(tzinfo=UTC).astimezone(ZoneInfo(current_app.config["TIMEZONE"]))


def relative(value, today=None):
    """Return the relative phrase for a date or naive-UTC datetime ("" for None)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = local_instant(value).date()
    return relative_days(value, today or local_today())


def when(value, empty="—"):
    """Render a date or instant as `<time>` with its ISO form and the relative phrase."""
    if value is None:
        return empty
    if isinstance(value, datetime):
        moment = local_instant(value)
        machine, shown = moment.isoformat(timespec="seconds"), moment.strftime("%Y-%m-%d %H:%M %Z")
    elif isinstance(value, date):
        machine = shown = value.isoformat()
    else:
        return escape(value)
    return Markup('<time datetime="{}">{}</time> <span class="when">({})</span>').format(
        machine, shown, relative(value)
    )


def long_date(day, iso=False):
    """Return a date as people write it in the active language: "25 November 2026",
    "25. marraskuuta 2026", "25 november 2026"; with `iso`, its ISO form after it in brackets.
    "" for None."""
    if day is None:
        return ""
    pattern = "d MMMM y" if str(get_locale()) == "en" else "long"  # not the US month-first
    written = format_date(day, pattern)
    return f"{written} ({day.isoformat()})" if iso else written


def long_instant(instant):
    """Return an aware instant in words in the active language, with its ISO form:
    "25 November 2026 at 14:30 EET (2026-11-25T14:30+02:00)", "25. marraskuuta 2026 klo 14.30
    EET (…)"."""
    clock = "HH:mm" if str(get_locale()) == "en" else "short"
    return gettext("%(day)s at %(time)s %(zone)s (%(iso)s)", day=long_date(instant.date()),
                   time=format_time(instant, clock, tzinfo=instant.tzinfo, locale=get_locale()),
                   zone=instant.tzname(), iso=instant.isoformat(timespec="minutes"))


def approximately(count):
    """Return "about 1 200" with the language's digit grouping, or that it is not known yet."""
    if count is None:
        return gettext("not known yet")
    return gettext("about %(count)s", count=format_number(count))


def may(endpoint):
    """Tell whether the signed-in user may use `endpoint` (show its button or not)."""
    return current_user.is_authenticated and allows(endpoint, current_user.role)


def init_app(app):
    """Register the template filters and the `may` global."""
    app.add_template_filter(when, "when")
    app.add_template_filter(relative, "relative")
    app.add_template_filter(counted, "counted")
    app.add_template_filter(long_date, "long_date")
    app.add_template_filter(long_instant, "long_instant")
    app.add_template_filter(approximately, "approximately")
    app.add_template_global(may, "may")
    app.add_template_global(finding_url, "finding_url")
    app.add_template_global(finding_action, "finding_action")
    app.add_template_global(subject_url, "subject_url")
