"""Languages: the user interface in English, Finnish and Swedish (Flask-Babel, gettext).

A page's language is the signed-in user's choice when they made one, else the best match of
the browser's `Accept-Language`, else English. Catalogues live in registry/translations, in
parts that gettext merges: `staff/` for the legal staff's pages, `external/` for what
subcontractors, controllers and auditors read on screen and in PDF reports (portal, sign-in,
account, the controllers' pages, reports), `email/` for e-mails; each part can be reviewed by
its own translators.
"""

from flask import request
from flask_babel import Babel

LANGUAGES = ("en", "fi", "sv")
DEFAULT_LANGUAGE = "en"
CATALOGUE_PARTS = ("translations/staff", "translations/external", "translations/email")

babel = Babel()


def select_locale():
    """The language of the current request: the user's setting, else the browser's, else English."""
    from flask_login import current_user

    chosen = getattr(current_user, "language", None) if current_user else None
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(LANGUAGES) or DEFAULT_LANGUAGE


def init_app(app):
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LANGUAGE)
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", "UTC")
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", ";".join(CATALOGUE_PARTS))
    babel.init_app(app, locale_selector=select_locale)
