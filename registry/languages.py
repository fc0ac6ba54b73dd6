"""The language choices of forms: a company's language for e-mails, a user's for pages.

A company's choice may be left to its country (registry.i18n.language_for_country); a user's
may be left to the browser. The names of the languages are written in each language itself, as
language menus show them, so that a reader finds their own whatever the page's language.
"""

from flask_babel import lazy_gettext as _l
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice

from registry.i18n import LANGUAGE_NAMES


def _language_choices(blank_label):
    return [SelectChoice("", blank_label),
            *(SelectChoice(code, name) for code, name in LANGUAGE_NAMES.items())]


def company_language_field():
    """The language the registry writes to a controller or subcontractor in."""
    return SelectField(
        _l("Language for e-mails"), default="",
        choices=_language_choices(_l("The country's (Finland: suomi, Sweden and Åland: "
                                     "svenska, others: English)")),
        description=_l("Notices and reminders to this company are written in this language."))


def user_language_field():
    """The language a user reads the registry in."""
    return SelectField(
        _l("Language"), default="",
        choices=_language_choices(_l("The browser's language")),
        description=_l("The language of your pages and PDF reports."))
