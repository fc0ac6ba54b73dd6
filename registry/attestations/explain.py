"""Plain words for the upload form: what each date means and how long a type counts.

The texts follow the type's settings (has_report_period, has_stated_expiry, validity_basis,
default_validity_months, bridge_letter_after_months), so an admin's change shows at once.
"""

from flask_babel import gettext as _

from registry.compliance.attestations import ISO_2013_LAPSED_ON, ISO_27001_CODE, ISO_27701_CODE
from registry.formatting import long_date, relative_days


def validity_preview(last_day, state, today):
    """Return the upload form's sentence for `last_day` read as `state` (validity_state)."""
    if last_day is None:
        return _("With these dates it has no end date.")
    if state == "expired":
        return _("With these dates it counted only until %(day)s, which has passed: "
                 "it would count for nothing.", day=long_date(last_day))
    if state == "expiring":
        return _("With these dates it will count until %(day)s (%(when)s), soon: you will "
                 "be asked for the next one.", day=long_date(last_day),
                 when=relative_days(last_day, today))
    return _("With these dates it will count until %(day)s.", day=long_date(last_day))


def _months(count):
    return "1 month" if count == 1 else f"{count} months"


def issued_on_text(kind):
    """Return (label, hint) for the issue date of `kind`."""
    if kind.has_report_period:
        return ("Report date", "The date the auditor signed the report, usually on the opinion "
                "letter a few weeks after the report period ends.")
    if kind.has_stated_expiry:
        return ("Issue date", "The date the certificate was issued, as printed on it.")
    return ("Date of the document", "The date printed on the document: the day it was signed, "
            "completed or reported.")


def period_texts(kind):
    """Return {field: (label, hint)} for the report period of `kind`."""
    hint = ("The period whose controls the auditor tested, for example 1 October 2025 to "
            "30 September 2026. It is on the cover or in the auditor's opinion.")
    return {
        "period_start": ("Report period: first day", hint),
        "period_end": ("Report period: last day", "Must be before today."),
    }


def valid_until_text(kind):
    """Return (label, hint) for the stated expiry of `kind`."""
    hint = "The expiry date printed on the certificate."
    if kind.default_validity_months:
        hint += (f" If none is printed, leave this empty: it then counts for "
                 f"{_months(kind.default_validity_months)} from the issue date.")
    return ("Valid until", hint)


def standard_version_text(kind):
    """Return (label, hint) for the ISO/IEC 27001 version a certificate is based on."""
    lapsed = long_date(ISO_2013_LAPSED_ON)
    return ("ISO/IEC 27001 version",
            "Printed on the certificate, e.g. \u201cISO/IEC 27001:2022\u201d. Only the 2022 "
            f"version counts: certificates to the 2013 version (and EN ISO/IEC 27001:2017, the "
            f"same text) stopped counting on {lapsed}.")


def has_standard_version(kind):
    """Tell whether `kind` asks which ISO/IEC 27001 version it is based on."""
    return kind.code in (ISO_27001_CODE, ISO_27701_CODE)


def validity_rule(kind):
    """Return one or two sentences on how long an attestation of `kind` counts."""
    months = kind.default_validity_months
    if kind.has_stated_expiry:
        rule = "It counts until the expiry date printed on it"
        if months:
            rule += f"; if none is printed, for {_months(months)} from the issue date"
        rule += "."
    elif kind.validity_basis == "period_end" and months:
        rule = f"It counts for {_months(months)} after the report period ends."
    elif months:
        rule = f"It counts for {_months(months)} from the date on it."
    else:
        rule = "It counts until it is replaced."
    if kind.bridge_letter_after_months:
        rule += (f" From {_months(kind.bridge_letter_after_months)} after the period ends, a "
                 "bridge letter from the auditor is needed as well; we will ask for it then.")
    if not kind.counts_for_requirements:
        rule += " It is kept for information and does not meet a requirement on its own."
    return rule
