"""The upload forms' "it will count until ..." line, for the portal's form and legal staff's.

Only the one upload's dates go through the engine's date rules (`valid_until`) and its horizon
rule (`validity_state`), never the registry: the answer is quick and reads nothing else.
"""

from datetime import date

from flask import jsonify

from registry.attestations import explain
from registry.attestations.validity import DATE_FIELDS, valid_until, validity_state
from registry.checks import horizon_days
from registry.clock import local_today

# The page asks as the person types dates: generous for a person, a ceiling for a script.
PREVIEW_LIMIT = "120 per minute"


def _date_argument(args, name):
    try:
        return date.fromisoformat(args.get(name, ""))
    except ValueError:
        return None


def preview_response(kind, args):
    """Return the JSON answer for attestation type `kind` and the query arguments `args`.

    `counts_until` is the last valid day (ISO, None without an end), `state` how it reads today
    (expired, expiring or valid: the page colours the line by it) and `text` the sentence.
    """
    dates = {name: _date_argument(args, name) for name in DATE_FIELDS}
    if not any(dates.values()):
        return jsonify(counts_until=None, text="")
    today = local_today()
    last_day = valid_until(kind, standard_version=args.get("standard_version") or None, **dates)
    state = validity_state(last_day, today, horizon_days())
    return jsonify(counts_until=last_day.isoformat() if last_day else None, state=state,
                   text=explain.validity_preview(last_day, state, today))
