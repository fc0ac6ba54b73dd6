"""Writes to reference data: each in one transaction with its audit event (before and after).

Nothing is deleted: a type is made non-uploadable, a requirement group retired, an adequacy
decision ended by its `valid_until`. Changing a group's options also saves its Requirement row,
so that the registry fingerprint changes and cached assessments are computed afresh.
"""

from registry import audit
from registry.audit_trail.changes import change_details, creation_details, field_values
from registry.db import write_transaction
from registry.models import AdequacyDecision, AttestationType, Requirement, RequirementOption

TYPE_FIELDS = ("code", "name", "description", "validity_basis", "default_validity_months",
               "bridge_letter_after_months", "has_report_period", "has_stated_expiry",
               "counts_for_requirements", "uploadable")
REQUIREMENT_FIELDS = ("key", "label", "tier", "applies_to_card_data", "retired_on")
DECISION_FIELDS = ("country_code", "decided_on", "valid_until", "scope_note")


def _apply(row, values, fields, action, summary, actor, extra=None):
    """Set `values` on `row`, save and audit it if anything changed; return the details."""
    before = field_values(row, fields) | (extra[0] if extra else {})
    for name, value in values.items():
        setattr(row, name, value)
    after = field_values(row, fields) | (extra[1] if extra else {})
    details = change_details(before, after)
    if details["after"]:
        row.save()
        audit.record(action, row, f"{summary}: {', '.join(details['after'])}", details,
                     actor=actor)
    return details


def create_attestation_type(values, actor):
    """Create an attestation type from form values and audit it; return the row."""
    with write_transaction():
        kind = AttestationType.create(**values)
        audit.record("attestation_type.created", kind, f"Attestation type {kind.code} created",
                     creation_details(kind, TYPE_FIELDS), actor=actor)
    return kind


def update_attestation_type(kind, values, actor):
    """Apply form values (never the code) to a type and audit them; return the changed fields."""
    values = {name: value for name, value in values.items() if name != "code"}
    with write_transaction():
        details = _apply(kind, values, TYPE_FIELDS, "attestation_type.updated",
                         f"Attestation type {kind.code} updated", actor)
    return list(details["after"])


def _type_codes(type_ids):
    return sorted(code for (code,) in AttestationType.select(AttestationType.code)
                  .where(AttestationType.id.in_(list(type_ids))).tuples())


def create_requirement(values, type_ids, actor):
    """Create a requirement group accepting `type_ids` and audit it; return the row."""
    with write_transaction():
        requirement = Requirement.create(**values)
        _replace_options(requirement, set(), set(type_ids))
        details = creation_details(requirement, REQUIREMENT_FIELDS)
        details["after"]["type_codes"] = _type_codes(type_ids)
        audit.record("requirement.created", requirement,
                     f"Requirement group {requirement.key} created", details, actor=actor)
    return requirement


def _replace_options(requirement, current, wanted):
    removed, added = current - wanted, wanted - current
    if removed:
        (RequirementOption.delete()
         .where((RequirementOption.requirement == requirement)
                & RequirementOption.attestation_type.in_(sorted(removed)))
         .execute())
    if added:
        RequirementOption.insert_many(
            [{"requirement": requirement.id, "attestation_type": type_id}
             for type_id in sorted(added)]
        ).execute()


def update_requirement(requirement, label, type_ids, actor):
    """Change a group's label and acceptable types and audit them; return the changed fields."""
    with write_transaction():
        current = {type_id for (type_id,) in RequirementOption
                   .select(RequirementOption.attestation_type)
                   .where(RequirementOption.requirement == requirement)
                   .tuples()}
        wanted = set(type_ids)
        _replace_options(requirement, current, wanted)
        codes = {"type_codes": _type_codes(current)}, {"type_codes": _type_codes(wanted)}
        details = _apply(requirement, {"label": label}, REQUIREMENT_FIELDS,
                         "requirement.updated", f"Requirement group {requirement.key} updated",
                         actor, extra=codes)
    return list(details["after"])


def retire_requirement(requirement, today, actor):
    """Retire a group from `today`: it stays on record but nobody owes it any more."""
    with write_transaction():
        _apply(requirement, {"retired_on": today}, REQUIREMENT_FIELDS, "requirement.retired",
               f"Requirement group {requirement.key} retired", actor)
    return requirement


def create_adequacy_decision(values, actor):
    """Record an adequacy decision from form values and audit it; return the row."""
    with write_transaction():
        decision = AdequacyDecision.create(**values)
        audit.record("adequacy_decision.created", decision,
                     f"Adequacy decision for {decision.country_code} recorded",
                     creation_details(decision, DECISION_FIELDS), actor=actor)
    return decision


def update_adequacy_decision(decision, values, actor):
    """Apply form values (never the country) to a decision and audit them; return the changes."""
    values = {name: value for name, value in values.items() if name != "country_code"}
    with write_transaction():
        details = _apply(decision, values, DECISION_FIELDS, "adequacy_decision.updated",
                         f"Adequacy decision for {decision.country_code} updated", actor)
    return list(details["after"])
