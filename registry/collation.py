"""Alphabetical order as each language has it: in Finnish and Swedish å, ä and ö follow z.

Python's `sorted` orders by code point, which puts "Åkerlund" after "Zetterberg" only by luck
and "Ärölä" before "Öhman" for the wrong reason. Babel has no collation, so this uses ICU
(PyICU) with the page's locale. Without PyICU (an installation that could not build it) a
key does the same for the three languages the registry speaks: case and accents are ignored,
except that for Finnish and Swedish å, ä/æ and ö/ø are letters after z, and ü counts as y.
"""

import unicodedata
from functools import lru_cache

try:
    import icu
except ImportError:  # pragma: no cover - PyICU is the `icu` extra; this is the fallback
    icu = None

from registry.i18n import DEFAULT_LANGUAGE, LANGUAGES

# After "z" (U+007A) in code points: "{", "|", "}".
NORDIC_LETTERS = {"å": "{", "ä": "|", "æ": "|", "ö": "}", "ø": "}", "ü": "y"}
NORDIC_LANGUAGES = ("fi", "sv")


@lru_cache(maxsize=len(LANGUAGES))
def _collator(language):
    return icu.Collator.createInstance(icu.Locale(language))


def _page_language():
    from flask import has_app_context

    if not has_app_context():
        return DEFAULT_LANGUAGE
    from registry.i18n import current_language

    return current_language()


def _fallback_key(text, language):
    letters = []
    for character in text.casefold():
        if language in NORDIC_LANGUAGES and character in NORDIC_LETTERS:
            letters.append(NORDIC_LETTERS[character])
        else:
            letters.append(unicodedata.normalize("NFD", character)[0])
    return "".join(letters), text


def sort_key(text, language=None):
    """A key that sorts `text` alphabetically in `language` (default: the page's language)."""
    language = language if language in LANGUAGES else _page_language()
    if icu is not None:
        return _collator(language).getSortKey(text or "")
    return _fallback_key(text or "", language)


def sorted_names(names, language=None):
    """`names` in the alphabetical order of `language`."""
    return sorted(names, key=lambda name: sort_key(name, language))
