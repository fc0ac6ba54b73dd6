"""The shared rules of `registry.validation`, applied to records read from a file.

An imported record passes the same rules as the form that would have created it, and a refusal
reads the same, only placed at the record's location in the file (`dpas[3].signed_on: The
signature date cannot be in the future.`).
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from flask import current_app

from registry.interchange.requests import request_problems
from registry.interchange.return_or_deletion import return_or_deletion_problems
from registry.interchange.schema import ALL_CONTROLLERS, RECORD_FIELDS
from registry.validation import (
    PAST_DATES,
    approximate_count_error,
    business_id_error,
    controller_end_error,
    dpa_expiry_error,
    evidence_date_problems,
    future_date_error,
    objection_deadline_error,
    objection_period_error,
    parent_error,
    past_instant_error,
    report_period_error,
    return_or_deletion_error,
    stored_business_id,
    stored_language,
    subcontractor_awareness_error,
)

EVIDENCE_DATES = ("issued_on", "period_start", "period_end", "valid_until")


@dataclass(frozen=True)
class DpaTerms:
    """What the objection-deadline rule needs of one DPA version."""

    status: str
    signed_on: date | None
    objection_period_days: int


def dpa_terms(record):
    """Return the DpaTerms of a validated DPA record."""
    return DpaTerms(record["status"], record["signed_on"], record["objection_period_days"])


def normalise(collection, record):
    """Store the record's business ID and language as forms store them (a Y-tunnus as
    1234567-8, no language as its country's)."""
    if collection in {"controllers", "subcontractors"}:
        record["business_id"] = stored_business_id(record["country"], record["business_id"])
        record["language"] = stored_language(record["country"], record.get("language"))


def record_problems(collection, record, attestation_types, today):
    """Yield (field path, message) for each shared rule that one record breaks."""
    if collection != "attestations":
        yield from _future_dates(collection, record, today)
    if collection in {"controllers", "subcontractors"}:
        message = business_id_error(record["country"], record["business_id"])
        if message:
            yield "business_id", message
    if collection == "controllers":
        message = controller_end_error(record["status"], record["ended_on"])
        if message:
            yield "ended_on", message
    if collection == "dpas":
        yield from _dpa_problems(record)
    if collection == "attestations":
        yield from _evidence_problems(record, attestation_types.get(record["type"]), today)
    if collection == "incidents":
        yield from incident_problems(record, _end_of(today))
    if collection in ("subject_requests", "assistance_requests"):
        yield from request_problems(collection, record, today, _end_of(today))
    if collection == "return_or_deletion":
        yield from return_or_deletion_problems(record, today)


def _end_of(today):
    """Return the last instant of `today` in REGISTRY_TIMEZONE: no recorded time lies after it."""
    return datetime.combine(today, time.max, tzinfo=ZoneInfo(current_app.config["TIMEZONE"]))


def incident_problems(record, limit):
    """Yield (field path, message) for an incident record the forms would refuse.

    Times may not lie after `limit`; nested notices and e-mails are checked too (their
    controller keys are checked with the other references).
    """
    aware_at = record["aware_at"]
    checks = [
        ("aware_at", past_instant_error("The time you became aware", aware_at, limit)),
        ("subcontractor_aware_at", past_instant_error(
            "The time the subcontractor became aware", record["subcontractor_aware_at"], limit)
         or subcontractor_awareness_error(record["subcontractor_aware_at"], aware_at)),
        ("closed_at", past_instant_error("The closing time", record["closed_at"], limit)
         or _before(record["closed_at"], aware_at, "An incident cannot be closed before it "
                                                   "became known.")),
        ("data_subject_count", approximate_count_error(record["data_subject_count"])),
        ("record_count", approximate_count_error(record["record_count"])),
    ]
    if record["detected_by"] == "subcontractor" and record["subcontractor_aware_at"] is None:
        checks.append(("subcontractor_aware_at", "Enter when the subcontractor became aware of "
                                                 "it (its report says so)."))
    needs = record["detected_by"] == "subcontractor" or record["affected_scope"] != "controllers"
    if needs and record["subcontractor"] is None:
        checks.append(("subcontractor", "Choose the subcontractor."))
    yield from ((path, message) for path, message in checks if message)
    yield from _notice_problems(record, limit)


def _before(moment, start, message):
    if moment is not None and start is not None and moment < start:
        return message
    return None


def _notice_problems(record, limit):
    aware_at, listed = record["aware_at"], {}
    for index, notice in enumerate(record["notices"]):
        path = f"notices[{index}]"
        if notice["controller"] in listed:
            yield path, (f"controller {notice['controller']!r} is listed twice, first at "
                         f"notices[{listed[notice['controller']]}]")
        listed.setdefault(notice["controller"], index)
        message = _before(notice["due_at"], aware_at, "A notice cannot be due before the "
                                                      "incident became known.")
        if message:
            yield f"{path}.due_at", message
        message = (past_instant_error("The notice time", notice["notified_at"], limit)
                   or _before(notice["notified_at"], aware_at, "A controller cannot be "
                              "notified before the incident became known."))
        if message:
            yield f"{path}.notified_at", message
        if record["closed_at"] is not None and notice["notified_at"] is None:
            yield f"{path}.notified_at", ("An incident is closed only once every affected "
                                          "controller has its notice.")
    for index, message in enumerate(record["messages"]):
        if message["controller"] not in listed:
            yield f"messages[{index}].controller", (
                f"no notice to controller {message['controller']!r} in this incident")
        if past_instant_error("The sending time", message["sent_at"], limit):
            yield f"messages[{index}].sent_at", "The sending time cannot be in the future."


def _future_dates(collection, record, today):
    for spec in RECORD_FIELDS[collection]:
        if spec.kind == "date" and spec.name in PAST_DATES:
            message = future_date_error(spec.name, record[spec.name], today)
            if message:
                yield spec.name, message
    if collection == "subcontractors":
        agreements = [("flow_down", record["flow_down"])] if record["flow_down"] else []
        agreements += [(f"earlier_flow_downs[{index}]", agreement)
                       for index, agreement in enumerate(record["earlier_flow_downs"])]
        for path, agreement in agreements:
            message = future_date_error("signed_on", agreement["signed_on"], today)
            if message:
                yield f"{path}.signed_on", message


def _dpa_problems(record):
    checks = (
        ("expires_on",
         dpa_expiry_error(record["signed_on"], record["effective_from"], record["expires_on"])),
        ("objection_period_days", objection_period_error(record["objection_period_days"])),
        ("return_or_deletion", return_or_deletion_error(
            record["status"], record["terminated_on"], record["return_or_deletion"])),
    )
    for path, message in checks:
        if message:
            yield path, message


def _evidence_problems(record, kind, today):
    if kind is None:  # an unknown type is reported as such; only the period can be checked
        message = report_period_error(record["period_start"], record["period_end"])
        if message:
            yield "period_end", message
        return
    dates = {name: record[name] for name in EVIDENCE_DATES}
    yield from evidence_date_problems(kind, dates, today).items()


class ObjectionPeriods:
    """The objection period in force for a controller on a notice date, from every DPA known."""

    def __init__(self, terms):
        self.by_controller = defaultdict(list)
        for (controller, version), dpa in terms.items():
            if dpa.status != "draft" and dpa.signed_on is not None:
                self.by_controller[controller].append((version, dpa))
        for versions in self.by_controller.values():
            versions.sort(key=lambda item: item[0], reverse=True)

    def on(self, controller, notified_on):
        """Return the days of the latest DPA version signed by `notified_on` (None: none was)."""
        for _version, dpa in self.by_controller.get(controller, ()):
            if dpa.signed_on <= notified_on:
                return dpa.objection_period_days
        return None


def engagement_problems(record, periods):
    """Yield (field path, message) when an engagement's objection deadline is refused.

    An every-controller engagement (`*`) runs each controller's own period, so only the order of
    notice and deadline is checked for it.
    """
    notified_on = record["notified_on"]
    period = None
    if notified_on is not None and record["controller"] != ALL_CONTROLLERS:
        period = periods.on(record["controller"], notified_on)
    message = objection_deadline_error(notified_on, record["objection_deadline"], period)
    if message:
        yield "objection_deadline", message


def chain_problems(records, parents, offboarded):
    """Yield (record, message) for each subcontractor record whose parent is refused.

    `parents` maps the keys of the subcontractors stored already to their parents' keys;
    `offboarded` holds the keys of those stored as offboarded. A parent offboarded before this
    import engages no new sub-processor (a link already stored may stay, so an export
    re-imports); a chain cannot loop, and a loop is reported once, at its first record.
    """
    stored = dict(parents)
    parents = {**stored, **{record["key"]: record["parent"] for record in records}}
    looped = set()
    for record in records:
        key = record["key"]
        if key in looped:
            continue
        message = parent_error(key, record["parent"], parents, offboarded, stored.get(key))
        if message:
            looped.update(_loop_through(key, parents))
            yield record, message


def _loop_through(key, parents):
    """Return the keys of the loop `key` is part of (empty when it is in none)."""
    seen, link = [key], parents.get(key)
    while link is not None and link not in seen:
        seen.append(link)
        link = parents.get(link)
    return seen if link == key else []
