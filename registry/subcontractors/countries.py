"""ISO 3166-1 country codes: the choices offered in forms and the check of typed codes."""

from functools import cache

import pycountry
from wtforms.fields.choices import SelectChoice

from registry.compliance import EEA_COUNTRIES


@cache
def country_names():
    """Return {alpha-2 code: common name} for every ISO 3166-1 country."""
    return {
        country.alpha_2: getattr(country, "common_name", None) or country.name
        for country in pycountry.countries
    }


@cache
def country_choices():
    """Return the countries as "Name (CODE)" choices sorted by name, for a select field."""
    names = country_names()
    labelled = sorted(((f"{name} ({code})", code) for code, name in names.items()))
    return tuple(SelectChoice(code, label) for label, code in labelled)


def country_label(code):
    """Return "Finland (FI)" for "FI"; an unknown code is returned as it is."""
    name = country_names().get((code or "").upper())
    return f"{name} ({code.upper()})" if name else (code or "")


def parse_country_codes(text):
    """Split "FI, SE US" into codes; return (codes in order without repeats, unknown entries)."""
    codes, unknown = [], []
    for part in (text or "").replace(",", " ").replace(";", " ").split():
        code = part.strip().upper()
        if code not in country_names():
            unknown.append(part.strip())
        elif code not in codes:
            codes.append(code)
    return codes, unknown


def outside_eea(codes):
    """Return the codes of `codes` that are outside the EEA."""
    return [code for code in codes if code not in EEA_COUNTRIES]
