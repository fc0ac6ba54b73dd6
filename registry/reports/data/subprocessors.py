"""The sub-processor list a controller receives: who processes its data, where, under which
safeguard, since when, and which changes are pending with their objection deadline.

Sub-processors of sub-processors are listed under the one that engages them (EDPB Guidelines
07/2020: the controller is given the whole chain, GDPR Art. 28(2), (4)); like the first tier, a
link of a chain is listed once the controller has authorised it.
"""

from operator import itemgetter

from flask_babel import lazy_gettext as _l

from registry.chains import in_chain_order
from registry.compliance import objection_deadline
from registry.reports.data.common import (
    AUTHORISATION_LABELS,
    authorisation_basis,
    dpa_name,
    engagement_status,
    joined,
    report_meta,
    transfer_summary,
)


def subprocessor_list(snapshot, controller_id):
    """Return the sub-processor list of one controller, as plain values."""
    controller = snapshot.controllers[controller_id]
    dpa = snapshot.current_dpa(controller_id)
    authorised, pending = {}, []
    for engagement in _engagements_of(snapshot, controller_id):
        status = engagement_status(snapshot, engagement, controller_id)
        subcontractor = snapshot.subcontractors[engagement.subcontractor_id]
        if subcontractor["status"] == "offboarded":
            continue
        if status == "authorised":
            since, basis = authorisation_basis(engagement, dpa, status, snapshot.today,
                                               snapshot.dpas_by_controller.get(controller_id, ()))
            known = authorised.get(subcontractor["id"])
            if known is None or _earlier(since, known["authorised_on"]):
                authorised[subcontractor["id"]] = _row(snapshot, subcontractor, since, basis)
        elif status == "notified":
            pending.append(_pending_row(snapshot, subcontractor, engagement, dpa))
    pending = [row for row in pending if row["id"] not in authorised]
    report = report_meta(snapshot, _l("Sub-processor list"), controller_id)
    report.update(
        controller=_controller_facts(controller),
        dpa=_dpa_facts(dpa),
        subprocessors=as_chains(authorised.values()),
        pending=sorted(pending, key=lambda row: (row["objection_deadline"] is None,
                                                 row["objection_deadline"] or snapshot.today,
                                                 row["name"].casefold())),
        contact=snapshot.settings.get("processor_contact", ""),
    )
    return report


def as_chains(rows):
    """Return `rows` by name, each followed by the rows of the sub-processors it engages.

    A row whose parent is not listed starts a chain of its own; `level` is its depth under the
    listed rows (0: first in its chain), for the indentation.
    """
    ordered = in_chain_order(rows, itemgetter("id"), itemgetter("parent_id"), itemgetter("name"))
    return [{**row, "level": level} for row, level in ordered]


def _engagements_of(snapshot, controller_id):
    return [
        engagement for engagement in snapshot.facts.engagements
        if engagement.controller_id in (None, controller_id)
        and engagement.subcontractor_id in snapshot.subcontractors
    ]


def _earlier(candidate, known):
    return candidate is not None and (known is None or candidate < known)


def _controller_facts(controller):
    return {
        "name": controller["name"],
        "business_id": controller["business_id"] or "",
        "country": controller["country"],
        "status": controller["status"],
        "ended_on": controller["ended_on"],
        "services": joined(controller["services"]),
    }


def _dpa_facts(dpa):
    if dpa is None:
        return None
    return {
        "name": dpa_name(dpa),
        "signed_on": dpa.signed_on,
        "authorisation": AUTHORISATION_LABELS[dpa.subprocessor_authorisation],
        "is_general": dpa.subprocessor_authorisation == "general",
        "objection_period_days": dpa.objection_period_days,
    }


def _row(snapshot, subcontractor, since, basis):
    facts = snapshot.subcontractor_facts[subcontractor["id"]]
    parent_id = facts.as_of(snapshot.today).parent_id  # who engaged it on the report's day
    parent = snapshot.subcontractors.get(parent_id)
    return {
        "id": subcontractor["id"],
        "parent_id": parent_id,
        "engaged_by": parent["name"] if parent else "",
        "name": subcontractor["name"],
        "business_id": subcontractor["business_id"] or "",
        "country": subcontractor["country"],
        "website": _without_scheme(subcontractor["website"]),
        "purpose": subcontractor["purpose"],
        "data_categories": joined(subcontractor["data_categories"]),
        "processing_countries": joined(subcontractor["processing_countries"]),
        "transfer": transfer_summary(facts, subcontractor),
        "authorised_on": since,
        "basis": basis,
    }


def _without_scheme(website):
    return (website or "").removeprefix("https://").removeprefix("http://").rstrip("/")


def _pending_row(snapshot, subcontractor, engagement, dpa):
    row = _row(snapshot, subcontractor, None, "")
    deadline = objection_deadline(engagement, dpa, snapshot.today)
    if deadline is not None:
        row.update(kind="objection", objection_deadline=deadline,
                   note=f"You may object until {deadline.isoformat()}.")
    else:
        row.update(kind="approval", objection_deadline=engagement.objection_deadline,
                   note="Awaiting your written approval.")
    row["notified_on"] = engagement.notified_on
    return row
