"""Languages: the user interface in English, Finnish and Swedish (Flask-Babel, gettext).

A page's language is the signed-in user's choice when they made one, else the best match of
the browser's `Accept-Language`, else English. Catalogues live in registry/translations, in
parts that gettext merges: `staff/` for the legal staff's pages, `external/` for what
subcontractors, controllers and auditors read on screen and in PDF reports (portal, sign-in,
account, the controllers' pages, reports), `email/` for e-mails; each part can be reviewed by
its own translators.
"""

from contextlib import contextmanager
from datetime import date, datetime

from flask import has_request_context, request
from flask_babel import Babel, force_locale
from flask_babel.speaklater import LazyString

LANGUAGES = ("en", "fi", "sv")
DEFAULT_LANGUAGE = "en"
CATALOGUE_PARTS = ("translations/staff", "translations/external", "translations/email")
# Each language named in itself, as a language menu shows it.
LANGUAGE_NAMES = {"en": "English", "fi": "suomi", "sv": "svenska"}
# A company's default language from its country: Finland, Sweden and Åland (Swedish-speaking).
COUNTRY_LANGUAGES = {"FI": "fi", "SE": "sv", "AX": "sv"}

babel = Babel()


def select_locale():
    """The language of the current request: the user's setting, else the browser's, else English."""
    from flask_login import current_user

    if not has_request_context():
        return DEFAULT_LANGUAGE  # a job or a command chooses its output's with in_language
    chosen = getattr(current_user, "language", None) if current_user else None
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(LANGUAGES) or DEFAULT_LANGUAGE


def language_for_country(country):
    """The language a company in `country` (ISO 3166 code) is written to unless it chose one."""
    return COUNTRY_LANGUAGES.get((country or "").upper(), DEFAULT_LANGUAGE)


def company_language(company):
    """The language to write to a controller or subcontractor in: its own, else its country's."""
    chosen = getattr(company, "language", None)
    return chosen if chosen in LANGUAGES else language_for_country(company.country)


@contextmanager
def in_language(language):
    """Render (gettext, dates, numbers) in `language` inside the block, whatever the request's.

    For what is not read by the person making the request: an e-mail to a company in its
    language, a PDF report made by a background job in its requester's language.
    """
    with force_locale(language if language in LANGUAGES else DEFAULT_LANGUAGE):
        yield


def current_language():
    """The language code of the page being rendered, for `<html lang>`."""
    from flask_babel import get_locale

    return str(get_locale() or DEFAULT_LANGUAGE)


def finding_text(finding):
    """A finding's message in the language being rendered (the `finding_text` filter).

    `finding` is a Finding, or a mapping with its "phrase" and English "message" (an alert's
    item). The message variant's template goes through gettext; names and references are
    shown as they are, dates and instants in the locale's format, clause labels and fixed
    phrases translated. English is the engine's own text, as the CLI and the API give it, and
    so is a finding known only by its stored English (an alert planned before variants).
    """
    from flask_babel import get_locale

    from registry.compliance.messages import render

    if isinstance(finding, dict):
        phrase, english = finding.get("phrase"), finding.get("message", "")
    else:
        phrase, english = finding.phrase, finding.message
    language = str(get_locale() or DEFAULT_LANGUAGE)
    if phrase is None or language == DEFAULT_LANGUAGE:
        return english
    from flask_babel import gettext

    try:
        return render(phrase, lambda text: gettext(text), _locale_value)
    except (KeyError, ValueError, TypeError):  # a catalogue entry with a broken placeholder
        return english


def _locale_value(value):
    """A finding's value in the page's language: dates and instants in the locale's format."""
    from babel.dates import format_time
    from flask_babel import format_date, get_locale

    from registry.compliance.messages import Clause, english_value
    from registry.labels import clause_label

    if isinstance(value, Clause):
        return clause_label(value.key)
    if isinstance(value, datetime):
        # In the zone the engine judged it in (the registry's), not Flask-Babel's default.
        time = format_time(value, "short", tzinfo=value.tzinfo, locale=get_locale())
        return f"{format_date(value.date())} {time} {value.tzname() or ''}".rstrip()
    if isinstance(value, date):
        return format_date(value)
    return english_value(value)


def init_app(app):
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LANGUAGE)
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", "UTC")
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", ";".join(CATALOGUE_PARTS))
    babel.init_app(app, locale_selector=select_locale)
    # `{% trans %}` blocks are read with their whitespace collapsed, as babel.cfg extracts them.
    app.jinja_env.policies["ext.i18n.trimmed"] = True
    app.jinja_env.globals["current_language"] = current_language
    app.add_template_filter(finding_text)
    app.jinja_env.finalize = _lazy_strings_as_text
    from registry import labels

    labels.init_app(app)
    app.before_request(_forget_last_requests_language)
    _compile_catalogues(app)


def _lazy_strings_as_text(value):
    """Hand a lazy translation to Jinja as plain text, so that autoescaping escapes it.

    Flask-Babel's LazyString declares itself safe HTML (`__html__`), and a message such as
    "New sub-processor %(name)s" carries a name someone typed: rendered as it is, that name's
    markup would reach the page or the e-mail unescaped.
    """
    return str(value) if isinstance(value, LazyString) else value


def _forget_last_requests_language():
    """Choose the language afresh for each request.

    Flask-Babel keeps the chosen locale on `g`, which lives as long as the application context:
    a request made inside a longer one (the test client in a test's app context, a CLI that
    renders pages) would otherwise keep the language of the first request.
    """
    from flask_babel import refresh

    refresh()


def _compile_catalogues(app):
    """Make the .mo files the committed .po files describe, when missing or older."""
    from registry.catalogues import compile_stale

    try:
        compile_stale()
    except OSError as error:  # a read-only installation: its .mo files came with it
        app.logger.warning("translation catalogues not compiled: %s", error)
