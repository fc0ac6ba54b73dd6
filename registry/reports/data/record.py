"""The record of processing activities kept as a processor (GDPR Art. 30(2)).

(a) the processor's name and contact details, each controller's, and the representative and
data protection officer where there are; (b) the categories of processing carried out for each
controller; (c) transfers to third countries with their safeguards; (d) a general description of
the technical and organisational security measures (Art. 32(1)).
"""

from collections import defaultdict

from flask_babel import lazy_gettext as _l

from registry.reports.data.common import dpa_name, joined, report_meta, transfer_summary
from registry.reports.snapshot import dpa_descriptions


def processing_record(snapshot, controller_id=None):
    """Return the Art. 30(2) record for every active controller or one controller."""
    if controller_id is None:
        controller_ids = [
            cid for cid, row in snapshot.controllers.items() if row["status"] == "active"
        ]
    else:
        controller_ids = [controller_id]
    controller_ids.sort(key=lambda cid: snapshot.controller_name(cid).casefold())
    current = {cid: snapshot.current_dpa(cid) for cid in controller_ids}
    descriptions = dpa_descriptions(controller_ids if controller_id is not None else None)
    settings = snapshot.settings
    report = report_meta(snapshot, _l("Record of processing activities (Art. 30(2) GDPR)"),
                         controller_id)
    report.update(
        processor={
            "name": settings.get("processor_name") or report["registry_name"],
            "contact": settings.get("processor_contact", ""),
            "representative": settings.get("representative", ""),
            "dpo_contact": settings.get("dpo_contact", ""),
        },
        security_measures=settings.get("security_measures", ""),
        controllers=[
            _controller_entry(snapshot, cid, current[cid], descriptions) for cid in controller_ids
        ],
        transfers=_transfers(snapshot, controller_ids, whole=controller_id is None),
    )
    return report


def _controller_entry(snapshot, controller_id, dpa, descriptions):
    row = snapshot.controllers[controller_id]
    description = descriptions.get(dpa.id, {}) if dpa is not None else {}
    return {
        "name": row["name"],
        "business_id": row["business_id"] or "",
        "country": row["country"],
        "status": row["status"],
        "contacts": joined(row["privacy_contacts"]),
        "ordered_via": row["ordered_via"] or "",
        "services": joined(row["services"]),
        "dpa": dpa_name(dpa) if dpa is not None else "",
        "nature_and_purpose": description.get("nature_and_purpose", ""),
        "personal_data_types": description.get("personal_data_types", ""),
        "data_subject_categories": description.get("data_subject_categories", ""),
    }


def _transfers(snapshot, controller_ids, whole):
    served = defaultdict(set)
    reach = snapshot.assessment.controller_subcontractors
    for controller_id in controller_ids:
        for subcontractor_id in reach.get(controller_id, ()):
            served[subcontractor_id].add(controller_id)
    rows = []
    for subcontractor_id, controllers in served.items():
        subcontractor = snapshot.subcontractors[subcontractor_id]
        if subcontractor["status"] == "offboarded":
            continue
        transfer = transfer_summary(snapshot.subcontractor_facts[subcontractor_id], subcontractor)
        if not transfer["outside_eea"]:
            continue
        rows.append({
            "name": subcontractor["name"],
            "purpose": subcontractor["purpose"],
            "countries": joined(transfer["outside_eea"]),
            "mechanism": transfer["mechanism"],
            "tia_on": transfer["tia_on"],
            "controllers": _served_label(snapshot, controllers, whole),
        })
    return sorted(rows, key=lambda row: row["name"].casefold())


def _served_label(snapshot, controllers, whole):
    if not whole:
        return ""
    if len(controllers) <= 3:
        return joined(sorted(snapshot.controller_name(cid) for cid in controllers))
    return f"{len(controllers)} controllers"
