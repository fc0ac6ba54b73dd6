"""Pieces every report shares: the heading facts, labels, clause checklists and transfers.

These only *present* what the engine decided (statuses, deadlines, current DPAs); no rule is
evaluated here.
"""

from datetime import timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import lazy_gettext as _l

from registry.compliance import (
    CLAUSE_KEYS,
    TRANSFER_MECHANISMS,
    Severity,
    continuous_since,
    missing_clauses,
    objection_deadline,
    worst,
)
from registry.compliance.transfers import countries_outside_eea
from registry.labels import CLAUSE_LABELS
from registry.reports.snapshot import registry_name

# Lazy: a report's data is read before it is typeset in its reader's language.
AREA_LABELS = {
    "dpas": _l("DPAs"),
    "instructions": _l("Instructions"),
    "subcontractors": _l("Subcontractors"),
    "engagements": _l("Engagements"),
    "incidents": _l("Incidents"),
    "requests": _l("Requests"),
    "return_or_deletion": _l("Return or deletion"),
}
AUTHORISATION_LABELS = {
    "general": _l("General (prior notice, right to object)"),
    "specific": _l("Specific (prior written approval)"),
}
ENGAGEMENT_STATUS_LABELS = {
    "authorised": _l("authorised"),
    "notified": _l("notified, awaiting objection period or approval"),
    "proposed": _l("proposed, controller not yet notified"),
    "objected": _l("objected by the controller"),
    "unauthorised": _l("not authorised: no DPA in force with the controller"),
    "withdrawn": _l("withdrawn"),
}


def dpa_name(dpa):
    """Return a DPA's title with its version, without repeating a version the title states."""
    version = f"v{dpa.version}"
    if dpa.title.rstrip().lower().endswith((version, f"version {dpa.version}")):
        return dpa.title
    return f"{dpa.title}, {version}"


def report_meta(snapshot, title, controller_id=None):
    """Return the heading facts of a report: title, scope, dates, names for the footer."""
    generated_at = snapshot.generated_at.astimezone(
        ZoneInfo(current_app.config["TIMEZONE"])).replace(microsecond=0)
    name = registry_name()
    processor = snapshot.settings.get("processor_name") or name
    if controller_id is None:
        scope = _l("Whole registry")
    else:
        scope = _l("Controller: %(name)s", name=snapshot.controller_name(controller_id))
    return {
        "title": title,
        "scope": scope,
        "today": snapshot.today,
        "horizon_days": snapshot.assessment.horizon_days,
        "generated_at": generated_at,
        "generated_label": generated_at.strftime("%Y-%m-%d %H:%M %Z"),
        "registry_name": name,
        "processor_name": processor,
        "author": processor,
        "whole_registry": controller_id is None,
    }


def severity_value(severity):
    """Return 'red', 'amber' or 'green' for a Severity (GREEN for None)."""
    return (severity or Severity.GREEN).value


def worst_value(findings):
    """Return the worst severity of `findings` as 'red', 'amber' or 'green'."""
    return worst(finding.severity for finding in findings).value


def clause_rows(clauses):
    """Return the Art. 28(3) checklist as rows of letter, label and whether it is present."""
    present = {key for key, is_present in clauses if is_present}
    return [
        {"key": str(key), "letter": key.letter, "label": CLAUSE_LABELS[str(key)],
         "present": key in present}
        for key in CLAUSE_KEYS
    ]


def clause_summary(clauses):
    """Return '8/8 complete' or '6/8, missing (c), (g)' for a checklist."""
    missing = missing_clauses(clauses)
    done = len(CLAUSE_KEYS) - len(missing)
    if not missing:
        return _l("%(done)s/%(total)s complete", done=done, total=len(CLAUSE_KEYS))
    letters = ", ".join(f"({key.letter})" for key in missing)
    return _l("%(done)s/%(total)s, missing %(letters)s", done=done, total=len(CLAUSE_KEYS),
              letters=letters)


def transfer_summary(subcontractor_facts, subcontractor_row):
    """Return where data leaves the EEA and under which safeguard, for one subcontractor."""
    outside = countries_outside_eea(subcontractor_facts)
    mechanism = subcontractor_row["transfer_mechanism"]
    if not outside:
        return {"outside_eea": [], "mechanism": _l("Not needed (EEA only)"), "tia_on": None}
    label = TRANSFER_MECHANISMS.get(mechanism, mechanism) if mechanism else _l("None recorded")
    return {"outside_eea": list(outside), "mechanism": label, "tia_on": subcontractor_row["tia_on"]}


def authorisation_basis(engagement, dpa, status, today, dpas=()):
    """Return (authorised since, basis) for an engagement the engine found authorised.

    The date is the fact that authorised it: for a sub-processor on the list at signing, the
    signing of the first DPA version in the unbroken line that leads to the current one
    (`dpas` are the controller's versions; a re-signed version does not move the date), the
    written approval, or the day after the objection deadline passed without objection.
    """
    if status != "authorised":
        return None, ""
    if engagement.on_list_at_signing:
        since = continuous_since(dpas, dpa) if dpa else None
        return since, _l("listed in the DPA at signing")
    if engagement.approved_on is not None and engagement.approved_on <= today:
        return engagement.approved_on, _l("written approval")
    deadline = objection_deadline(engagement, dpa, today)
    if deadline is None:
        return None, _l("authorised")
    return deadline + timedelta(days=1), _l("no objection by %(day)s", day=deadline.isoformat())


def engagement_status(snapshot, engagement, controller_id):
    """Return the engine's status of `engagement` for one controller (scope-all aware)."""
    statuses = snapshot.assessment.engagement_status
    if engagement.controller_id is None and controller_id is not None:
        return statuses.get((engagement.id, controller_id), statuses.get(engagement.id))
    return statuses.get(engagement.id)


def joined(values, empty="—"):
    """Return list values joined by commas, or a dash for none."""
    return ", ".join(str(value) for value in values if value) or empty
