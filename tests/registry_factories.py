"""Factories for registry rows: `make_controller(**overrides)` and friends, with sensible defaults.

Each returns a saved row; counters keep keys and names unique within a test.
"""

import hashlib
import itertools
from datetime import timedelta

from registry import seed
from registry.clock import local_today
from registry.models import (
    CLAUSE_KEYS,
    Attestation,
    AttestationType,
    Controller,
    Document,
    DocumentBlob,
    Dpa,
    Engagement,
    FlowDownAgreement,
    Instruction,
    Requirement,
    RequirementOption,
    Subcontractor,
)

_sequence = itertools.count(1)
ALL_CLAUSES = dict.fromkeys(CLAUSE_KEYS, True)


def days(offset, today=None):
    """Return the date `offset` days from `today` (default: the registry's today)."""
    return (today or local_today()) + timedelta(days=offset)


def make_controller(**overrides):
    """Create an active Finnish controller."""
    number = next(_sequence)
    values = {"key": f"c-{number}", "name": f"Controller {number} Oy", "country": "FI",
              "business_id": "1572860-0", "privacy_contacts": [f"privacy@c{number}.example"],
              "services": ["online store"]}
    values.update(overrides)
    return Controller.create(**values)


def make_document(filename="signed.pdf"):
    """Create a stored PDF document (a signed copy) and return it."""
    content = f"%PDF-1.7 {filename} {next(_sequence)}".encode()
    digest = hashlib.sha256(content).hexdigest()
    blob = DocumentBlob.create(sha256=digest, content=content, size=len(content))
    return Document.create(blob=blob, filename=filename, size=len(content), sha256=digest,
                           page_count=1)


# The Art. 28(3) description a complete DPA sets out.
DESCRIPTION = {"subject_matter": "Online store operation", "duration": "Until terminated",
               "nature_and_purpose": "Hosting and order handling",
               "personal_data_types": "Contact and order details",
               "data_subject_categories": "Customers"}


def make_dpa(controller=None, clauses=None, **overrides):
    """Create a signed, open-ended DPA with every clause, the Art. 28(3) description and its
    signed copy, for `controller` (or a new one); pass document=None for no copy."""
    values = {"controller": controller or make_controller(), "title": "DPA", "version": 1,
              "status": "signed", "signed_on": days(-100), "effective_from": days(-100),
              "subprocessor_authorisation": "general", "breach_notice_hours": 48,
              **DESCRIPTION}
    if "document" not in overrides and overrides.get("status", "signed") != "draft":
        values["document"] = make_document()
    values.update(overrides)
    dpa = Dpa(**values)
    dpa.set_clauses(ALL_CLAUSES if clauses is None else clauses)
    dpa.save()
    return dpa


def make_instruction(controller=None, **overrides):
    """Create an acknowledged instruction."""
    values = {"controller": controller or make_controller(), "title": "Retention",
              "text": "Keep orders 6 years.", "received_on": days(-30),
              "acknowledged_on": days(-29)}
    values.update(overrides)
    return Instruction.create(**values)


def make_subcontractor(flow_down=True, flow_down_document=True, flow_down_signed_on=None,
                       **overrides):
    """Create an active, low-tier Finnish subcontractor with a signed flow-down agreement (and
    its signed copy unless `flow_down_document` is false) and a 24-hour breach-notice promise."""
    number = next(_sequence)
    values = {"key": f"s-{number}", "name": f"Subcontractor {number} Oy", "country": "FI",
              "risk_tier": "low", "status": "active", "processing_countries": ["FI"],
              "contacts": [f"security@s{number}.example"], "breach_notice_hours": 24}
    values.update(overrides)
    subcontractor = Subcontractor.create(**values)
    if flow_down:
        document = make_document("flow-down.pdf") if flow_down_document else None
        agreement = FlowDownAgreement(subcontractor=subcontractor,
                                      signed_on=flow_down_signed_on or days(-200),
                                      document=document)
        agreement.set_clauses(ALL_CLAUSES)
        agreement.save()
    return subcontractor


def make_engagement(subcontractor=None, controller=None, **overrides):
    """Create an engagement that was on the DPA's list at signing (so authorised)."""
    values = {"subcontractor": subcontractor or make_subcontractor(),
              "controller": controller, "on_list_at_signing": True}
    values.update(overrides)
    return Engagement.create(**values)


def make_attestation_type(code="security_questionnaire", **overrides):
    """Return the attestation type `code`, creating it when missing (as seeded, for the codes
    the reference data knows)."""
    seeded = {row["code"]: row for row in seed.ATTESTATION_TYPES}
    values = {"name": code.replace("_", " ").title(), "validity_basis": "issued_on",
              "default_validity_months": 12}
    values.update({key: value for key, value in seeded.get(code, {}).items()
                   if key not in ("code", "name", "description")})
    values.update(overrides)
    kind, _ = AttestationType.get_or_create(code=code, defaults=values)
    return kind


def make_requirement(key="low_questionnaire", tier="low", type_codes=("security_questionnaire",),
                     applies_to_card_data=False):
    """Create a requirement group accepting `type_codes`."""
    requirement = Requirement.create(key=key, label=key.replace("_", " "), tier=tier,
                                     applies_to_card_data=applies_to_card_data)
    for code in type_codes:
        RequirementOption.create(requirement=requirement,
                                 attestation_type=make_attestation_type(code))
    return requirement


def make_attestation(subcontractor=None, type_code="security_questionnaire", **overrides):
    """Create an accepted attestation issued 30 days ago."""
    values = {"subcontractor": subcontractor or make_subcontractor(),
              "attestation_type": make_attestation_type(type_code), "issuer": "Auditor Oy",
              "reference": f"R-{next(_sequence)}", "issued_on": days(-30), "review": "accepted"}
    if type_code == "iso27001":
        values["standard_version"] = "2022"
    values.update(overrides)
    return Attestation.create(**values)
