"""Reading one field of an interchange record into a Python value, reporting what is wrong.

`parse_value(field, raw, path, report)` returns the normalised value (a `date`, an `int`, a full
clause mapping ...) and calls `report(path, reason)` for every problem; on a problem it returns
the field's default so that checking can go on and find the next one.
"""

import re
from datetime import date, datetime

from registry.interchange.schema import (
    DESCRIPTION_KEYS,
    FLOW_DOWN_FIELDS,
    MESSAGE_FIELDS,
    NOTICE_FIELDS,
)
from registry.models import CLAUSE_KEYS
from registry.validation import (
    LIST_ITEM_LENGTH,
    LIST_ITEMS,
    LONG_TEXT_LENGTH,
    email_error,
    stored_email,
)

DATE_PATTERN = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
INSTANT_PATTERN = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?(Z|[+-][0-9]{2}:[0-9]{2})")
COUNTRY_PATTERN = re.compile(r"[A-Za-z]{2}")
EMAIL_PATTERN = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
SHA256_PATTERN = re.compile(r"[0-9a-f]{64}")
SHOWN_LENGTH = 60


def shown(value):
    """Return `value` as a message quotes it: its repr, cut short so a report stays one line."""
    text = repr(value)
    return text if len(text) <= SHOWN_LENGTH else text[:SHOWN_LENGTH - 1] + "…"


def short_name(name):
    """Return a member name as a location shows it, cut short like `shown`."""
    name = str(name)
    return name if len(name) <= SHOWN_LENGTH else name[:SHOWN_LENGTH - 1] + "…"


def parse_value(field, raw, path, report):
    """Return `raw` read as `field` (at `path`), reporting every problem through `report`."""
    parser = _PARSERS[field.kind]
    return parser(field, raw, path, report)


def _missing(field, path, report):
    if field.required:
        report(path, "required")
    return field.default


def _text(field, raw, path, report):
    if raw is None or (raw == "" and field.required):
        return _missing(field, path, report)
    if not isinstance(raw, str):
        report(path, "must be text")
        return field.default
    if field.max_length and len(raw) > field.max_length:
        report(path, f"longer than {field.max_length} characters ({len(raw):,})")
    return raw


def _date(field, raw, path, report):
    if raw is None or raw == "":
        return _missing(field, path, report)
    if isinstance(raw, date) and not isinstance(raw, datetime):
        return raw
    if isinstance(raw, str) and DATE_PATTERN.fullmatch(raw):
        try:
            return date.fromisoformat(raw)
        except ValueError:
            pass
    report(path, f"bad date {shown(raw)}: expected YYYY-MM-DD")
    return None


def _instant(field, raw, path, report):
    if raw is None or raw == "":
        return _missing(field, path, report)
    if isinstance(raw, str) and INSTANT_PATTERN.fullmatch(raw):
        try:
            return datetime.fromisoformat(raw)
        except ValueError:
            pass
    report(path, f"bad date and time {shown(raw)}: expected YYYY-MM-DDTHH:MM:SS+HH:MM "
                 "(ISO 8601 with its UTC offset)")
    return None


def _int(field, raw, path, report):
    if raw is None or raw == "":
        return _missing(field, path, report)
    if isinstance(raw, bool) or not isinstance(raw, int):
        report(path, f"bad number {shown(raw)}: expected a whole number")
        return field.default
    if field.minimum is not None and raw < field.minimum:
        report(path, f"must be at least {field.minimum}")
    elif field.maximum is not None and raw > field.maximum:
        report(path, f"must be at most {field.maximum}")
    return raw


def _bool(field, raw, path, report):
    if raw is None:
        return field.default if field.default is not None else False
    if not isinstance(raw, bool):
        report(path, f"bad value {shown(raw)}: expected true or false")
        return False
    return raw


def _enum(field, raw, path, report):
    if raw is None or raw == "":
        if field.required:
            report(path, f"required: one of {', '.join(field.choices)}")
        return field.default
    if raw not in field.choices:
        report(path, f"bad value {shown(raw)}: must be one of {', '.join(field.choices)}")
        return field.default
    return raw


def _country(field, raw, path, report):
    if raw is None or raw == "":
        return _missing(field, path, report)
    if not isinstance(raw, str) or not COUNTRY_PATTERN.fullmatch(raw):
        report(path, f"bad country code {shown(raw)}: expected two letters such as FI")
        return field.default
    return raw.upper()


def _list(field, raw, path, report):
    if raw is None:
        return []
    if not isinstance(raw, list) or not all(isinstance(item, str) for item in raw):
        report(path, "must be a list of text")
        return []
    if len(raw) > LIST_ITEMS:
        report(path, f"more than {LIST_ITEMS} items ({len(raw):,})")
        return []
    for item in raw:
        if len(item) > LIST_ITEM_LENGTH:
            report(path, f"an item is longer than {LIST_ITEM_LENGTH} characters ({len(item):,})")
            return []
        if field.kind == "emails" and not EMAIL_PATTERN.fullmatch(item):
            report(path, f"bad e-mail address {shown(item)}")
        elif field.kind == "emails" and email_error(item):
            report(path, email_error(item))
        if field.kind == "countries" and not COUNTRY_PATTERN.fullmatch(item):
            report(path, f"bad country code {shown(item)}: expected two letters such as FI")
    if field.kind == "countries":
        return [item.upper() for item in raw]
    if field.kind == "emails":
        return [stored_email(item) for item in raw]
    return list(raw)


def _clauses(field, raw, path, report):
    flags = dict.fromkeys(CLAUSE_KEYS, False)
    if raw is None:
        return flags
    if not isinstance(raw, dict):
        report(path, "must be an object of clause keys with true or false")
        return flags
    for key, present in raw.items():
        if key not in flags:
            report(f"{path}.{short_name(key)}", f"unknown clause key {shown(key)}")
        elif present is not None and not isinstance(present, bool):
            report(f"{path}.{key}", f"bad value {shown(present)}: expected true or false")
        else:
            flags[key] = bool(present)
    return flags


def _description(field, raw, path, report):
    description = dict.fromkeys(DESCRIPTION_KEYS, "")
    if raw is None:
        return description
    if not isinstance(raw, dict):
        report(path, "must be an object")
        return description
    for key, value in raw.items():
        if key not in description:
            report(f"{path}.{short_name(key)}", "unknown field")
        elif value is not None and not isinstance(value, str):
            report(f"{path}.{key}", "must be text")
        elif value is not None and len(value) > LONG_TEXT_LENGTH:
            report(f"{path}.{key}", f"longer than {LONG_TEXT_LENGTH} characters ({len(value):,})")
        else:
            description[key] = value or ""
    return description


def _flow_down(field, raw, path, report):
    if raw is None:
        return None
    if not isinstance(raw, dict):
        report(path, "must be an object")
        return None
    names = {inner.name for inner in FLOW_DOWN_FIELDS}
    for unknown in sorted(set(raw) - names):
        report(f"{path}.{short_name(unknown)}", "unknown field")
    return {
        inner.name: parse_value(inner, raw.get(inner.name), f"{path}.{inner.name}", report)
        for inner in FLOW_DOWN_FIELDS
    }


def _flow_downs(field, raw, path, report):
    if raw is None:
        return []
    if not isinstance(raw, list):
        report(path, "must be a list of flow-down agreements")
        return []
    parsed = (_flow_down(field, item, f"{path}[{index}]", report) for index, item in
              enumerate(raw))
    return [agreement for agreement in parsed if agreement is not None]


def _nested_records(fields, label):
    """Return a parser of a list of objects whose members are `fields` (incident notices ...)."""
    names = {inner.name for inner in fields}

    def parse(field, raw, path, report):
        if raw is None:
            return []
        if not isinstance(raw, list):
            report(path, f"must be a list of {label}")
            return []
        parsed = []
        for index, item in enumerate(raw):
            where = f"{path}[{index}]"
            if not isinstance(item, dict):
                report(where, "must be an object")
                continue
            for unknown in sorted(set(item) - names):
                report(f"{where}.{short_name(unknown)}", "unknown field")
            parsed.append({inner.name: parse_value(inner, item.get(inner.name),
                                                   f"{where}.{inner.name}", report)
                           for inner in fields})
        return parsed

    return parse


def _document(field, raw, path, report):
    if raw is None:
        return None
    if not isinstance(raw, dict) or not SHA256_PATTERN.fullmatch(str(raw.get("sha256", ""))):
        report(path, "must be an object with the document's sha256 (64 lowercase hex digits)")
        return None
    filename = raw.get("filename") or f"{raw['sha256']}.pdf"
    media_type = raw.get("media_type") or "application/pdf"
    if (not isinstance(filename, str) or not isinstance(media_type, str) or len(filename) > 255
            or len(media_type) > 100):
        report(path, "filename and media_type must be text (up to 255 and 100 characters)")
        return None
    return {"sha256": raw["sha256"], "filename": filename, "media_type": media_type}


_PARSERS = {
    "text": _text,
    "ref": _text,
    "type": _text,
    "date": _date,
    "instant": _instant,
    "int": _int,
    "bool": _bool,
    "enum": _enum,
    "country": _country,
    "list": _list,
    "emails": _list,
    "countries": _list,
    "clauses": _clauses,
    "description": _description,
    "flow_down": _flow_down,
    "flow_downs": _flow_downs,
    "document": _document,
    "notices": _nested_records(NOTICE_FIELDS, "notices"),
    "incident_messages": _nested_records(MESSAGE_FIELDS, "e-mails"),
}
