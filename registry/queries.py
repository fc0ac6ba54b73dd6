"""Named reads shared by views, CLI, alerts and reports.

`load_facts()` copies the whole registry into the compliance engine's frozen dataclasses with a
fixed number of queries (one per table, whatever the size), so that every consumer evaluates the
same rules over the same snapshot.
"""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import current_app
from peewee import BooleanField, Field, Value

from registry.compliance import (
    DESCRIPTION_ELEMENTS,
    AdequacyFacts,
    AttestationFacts,
    AttestationTypeFacts,
    ControllerFacts,
    DpaFacts,
    EngagementFacts,
    FlowDownFacts,
    InstructionFacts,
    RegistryFacts,
    RequirementGroupFacts,
    SubcontractorFacts,
    SubcontractorPastFacts,
)
from registry.compliance.facts import from_rows
from registry.db import is_sqlite
from registry.extensions import database
from registry.fields import DateField, DateTimeField
from registry.incidents.queries import load_incidents
from registry.models import (
    CLAUSE_KEYS,
    AdequacyDecision,
    Attestation,
    AttestationType,
    Controller,
    Dpa,
    Engagement,
    FlowDownAgreement,
    Instruction,
    Requirement,
    RequirementOption,
    Subcontractor,
    SubcontractorHistory,
)
from registry.requests.queries import load_assistance_requests, load_subject_requests
from registry.return_or_deletion.queries import load_return_or_deletion

CLAUSE_COLUMNS = tuple(f"clause_{key}" for key in CLAUSE_KEYS)
# How the written-approval form records a reference in an engagement's notes.
APPROVAL_REFERENCE_PREFIX = "Written approval of "


def _clause_flags(row):
    return tuple((key, bool(row[f"clause_{key}"])) for key in CLAUSE_KEYS)


def _fetch(query, flags=()):
    """Return the rows of `query` as tuples of the driver's own values.

    Loading the whole registry spent most of its time in peewee's per-value conversion of rows
    the drivers already return as ints, text and (PostgreSQL) dates and booleans. Only SQLite's
    dates and booleans need converting, and that is done a column at a time; `flags` are the
    positions of computed true/false columns, which SQLite returns as 0 or 1.
    """
    rows = database.execute(query).fetchall()
    if not rows or not is_sqlite():
        return rows
    converters = [
        bool if position in flags
        else _SQLITE_CONVERTERS.get(type(column)) if isinstance(column, Field) else None
        for position, column in enumerate(query.selected_columns)
    ]
    if not any(converters):
        return rows
    columns = list(zip(*rows, strict=True))
    for position, convert in enumerate(converters):
        if convert is not None:
            columns[position] = [
                value if value is None else convert(value) for value in columns[position]
            ]
    return list(zip(*columns, strict=True))


_SQLITE_CONVERTERS = {
    DateField: date.fromisoformat,
    DateTimeField: datetime.fromisoformat,
    BooleanField: bool,
}


def load_controllers():
    """Return every controller as ControllerFacts."""
    query = Controller.select(
        Controller.id, Controller.name, Controller.status, Controller.ended_on
    )
    return tuple(
        ControllerFacts(id=id_, name=name, status=status, ended_on=ended_on)
        for id_, name, status, ended_on in _fetch(query)
    )


DESCRIPTION_KEYS = tuple(key for key, _ in DESCRIPTION_ELEMENTS)


def load_dpas():
    """Return every DPA version as DpaFacts."""
    query = Dpa.select(
        Dpa.id, Dpa.controller, Dpa.version, Dpa.title, Dpa.status,
        Dpa.subprocessor_authorisation, Dpa.signed_on, Dpa.effective_from, Dpa.expires_on,
        Dpa.review_due_on, Dpa.terminated_on, Dpa.objection_period_days,
        Dpa.breach_notice_hours, Dpa.document.is_null(False), Dpa.return_or_deletion,
        Dpa.return_or_deletion_days,
        *(getattr(Dpa, key) for key in DESCRIPTION_KEYS),
        *(getattr(Dpa, column) for column in CLAUSE_COLUMNS),
    )
    described_from, clauses_from = 16, 16 + len(DESCRIPTION_KEYS)
    return tuple(
        DpaFacts(
            id=row[0], controller_id=row[1], version=row[2], title=row[3], status=row[4],
            subprocessor_authorisation=row[5], signed_on=row[6], effective_from=row[7],
            expires_on=row[8], review_due_on=row[9], terminated_on=row[10],
            objection_period_days=row[11], breach_notice_hours=row[12],
            # Only a signed DPA has a signed copy to attach.
            document_attached=bool(row[13]) or row[4] == "draft",
            return_or_deletion=row[14], return_or_deletion_days=row[15],
            description=tuple(
                (key, bool((text or "").strip())) for key, text
                in zip(DESCRIPTION_KEYS, row[described_from:clauses_from], strict=True)
            ),
            clauses=tuple(
                (key, bool(present))
                for key, present in zip(CLAUSE_KEYS, row[clauses_from:], strict=True)
            ),
        )
        for row in _fetch(query)
    )


def load_instructions():
    """Return every instruction version with the day a later version superseded it."""
    superseded_on = {}
    successors = (
        Instruction.select(Instruction.supersedes, Instruction.received_on)
        .where(Instruction.supersedes.is_null(False))
    )
    for instruction_id, received_on in _fetch(successors):
        known = superseded_on.get(instruction_id)
        superseded_on[instruction_id] = received_on if known is None else min(known, received_on)
    query = Instruction.select(
        Instruction.id, Instruction.controller, Instruction.title, Instruction.version,
        Instruction.received_on, Instruction.acknowledged_on,
    )
    return tuple(
        InstructionFacts(
            id=id_, controller_id=controller_id, title=title, version=version,
            received_on=received_on, acknowledged_on=acknowledged_on,
            superseded_on=superseded_on.get(id_),
        )
        for id_, controller_id, title, version, received_on, acknowledged_on in _fetch(query)
    )


def flow_down_agreements():
    """Return {subcontractor id: every signed flow-down agreement as FlowDownFacts}."""
    rows = (
        FlowDownAgreement.select(FlowDownAgreement.id, FlowDownAgreement.subcontractor,
                                 FlowDownAgreement.signed_on, FlowDownAgreement.terminated_on,
                                 FlowDownAgreement.document,
                                 *(getattr(FlowDownAgreement, c) for c in CLAUSE_COLUMNS))
        .where(FlowDownAgreement.signed_on.is_null(False))
        .dicts()
    )
    agreements = {}
    for row in rows:
        agreements.setdefault(row["subcontractor"], []).append(FlowDownFacts(
            id=row["id"], signed_on=row["signed_on"], terminated_on=row["terminated_on"],
            clauses=_clause_flags(row), document_attached=row["document"] is not None,
        ))
    return agreements


def subcontractor_history():
    """Return {subcontractor id: its history records as SubcontractorPastFacts, oldest first}."""
    history = {}
    rows = SubcontractorHistory.select().order_by(SubcontractorHistory.id)
    for row in rows:
        history.setdefault(row.subcontractor_id, []).append(SubcontractorPastFacts(
            valid_until=row.valid_until, status=row.status, risk_tier=row.risk_tier,
            country=row.country, processing_countries=tuple(row.processing_countries),
            transfer_mechanism=row.transfer_mechanism, tia_on=row.tia_on,
            handles_card_data=bool(row.handles_card_data),
            breach_notice_hours=row.breach_notice_hours, parent_id=row.parent_id,
        ))
    return history


def load_subcontractors():
    """Return every subcontractor with its signed flow-down agreements and its history as
    SubcontractorFacts."""
    agreements = flow_down_agreements()
    history = subcontractor_history()
    rows = Subcontractor.select(
        Subcontractor.id, Subcontractor.name, Subcontractor.country, Subcontractor.status,
        Subcontractor.risk_tier, Subcontractor.handles_card_data,
        Subcontractor.processing_countries, Subcontractor.transfer_mechanism,
        Subcontractor.tia_on, Subcontractor.breach_notice_hours, Subcontractor.parent,
    ).dicts()
    facts = []
    for row in rows:
        facts.append(SubcontractorFacts(
            id=row["id"], name=row["name"], country=row["country"], status=row["status"],
            risk_tier=row["risk_tier"], handles_card_data=bool(row["handles_card_data"]),
            processing_countries=tuple(row["processing_countries"]),
            transfer_mechanism=row["transfer_mechanism"], tia_on=row["tia_on"],
            flow_downs=tuple(agreements.get(row["id"], ())),
            history=tuple(history.get(row["id"], ())),
            breach_notice_hours=row["breach_notice_hours"], parent_id=row["parent"],
        ))
    return tuple(facts)


def load_attestation_types():
    """Return every attestation type as AttestationTypeFacts."""
    return tuple(
        AttestationTypeFacts(
            code=kind.code, name=kind.name, validity_basis=kind.validity_basis,
            default_validity_months=kind.default_validity_months,
            counts_for_requirements=kind.counts_for_requirements,
            bridge_letter_after_months=kind.bridge_letter_after_months,
        )
        for kind in AttestationType.select()
    )


def load_attestations():
    """Return every attestation as AttestationFacts (one query, joined to its type's code)."""
    query = (
        Attestation.select(
            Attestation.id, Attestation.subcontractor, AttestationType.code, Attestation.review,
            Attestation.issued_on, Attestation.period_start, Attestation.period_end,
            Attestation.valid_until, Attestation.bridge_letter_until,
            Attestation.standard_version,
        )
        .join(AttestationType)
    )
    return tuple(
        AttestationFacts(
            id=id_, subcontractor_id=subcontractor_id, type_code=code, review=review,
            issued_on=issued_on, period_start=period_start, period_end=period_end,
            valid_until=valid_until, bridge_letter_until=bridge_until,
            standard_version=standard_version,
        )
        for (id_, subcontractor_id, code, review, issued_on, period_start, period_end,
             valid_until, bridge_until, standard_version) in _fetch(query)
    )


def load_requirement_groups():
    """Return every requirement group in force (not retired) with its acceptable type codes."""
    codes = {}
    options = (
        RequirementOption.select(RequirementOption.requirement, AttestationType.code)
        .join(AttestationType)
        .order_by(AttestationType.code)
        .tuples()
    )
    for requirement_id, code in options:
        codes.setdefault(requirement_id, []).append(code)
    return tuple(
        RequirementGroupFacts(
            key=group.key, label=group.label, tier=group.tier,
            applies_to_card_data=group.applies_to_card_data,
            type_codes=tuple(codes.get(group.id, ())),
        )
        for group in (Requirement.select()
                      .where(Requirement.retired_on.is_null())
                      .order_by(Requirement.key))
    )


def load_engagements():
    """Return every engagement as EngagementFacts.

    A notice the registry sent has recipients and records its delivery (`notice_sent_at`); its
    delivery day is the local date of that instant. A written approval is documented by its PDF
    or by the reference the approval form records in the notes. Each row is selected in the
    order of EngagementFacts' fields (`from_rows`); whether the lists and notes hold anything
    is asked of the database rather than decoded 50,000 times at bench size.
    """
    query = Engagement.select(
        Engagement.id, Engagement.subcontractor, Engagement.controller,
        Engagement.on_list_at_signing, Engagement.proposed_on, Engagement.notified_on,
        Engagement.objection_deadline, Engagement.objected_on, Engagement.approved_on,
        Engagement.withdrawn_on,
        Engagement.approval_document.is_null(False)
        | Engagement.notes.contains(APPROVAL_REFERENCE_PREFIX),
        Engagement.notice_recipients != Value("[]", converter=False),
        Engagement.notice_sent_at,
    )
    rows = _fetch(query, flags=(10, 11))
    zone = ZoneInfo(current_app.config["TIMEZONE"])
    return from_rows(EngagementFacts, (
        row if row[12] is None else (*row[:12], _local_day(row[12], zone)) for row in rows
    ))


def _local_day(instant, zone):
    """Return the date in `zone` of a naive UTC instant, or None."""
    if instant is None:
        return None
    return instant.replace(tzinfo=UTC).astimezone(zone).date()


def load_adequacy():
    """Return every adequacy decision as AdequacyFacts."""
    query = AdequacyDecision.select(
        AdequacyDecision.country_code, AdequacyDecision.decided_on, AdequacyDecision.valid_until
    ).tuples()
    return tuple(
        AdequacyFacts(country_code=code, decided_on=decided_on, valid_until=valid_until)
        for code, decided_on, valid_until in query
    )


# The tables each part of RegistryFacts is read from (registry.revision.ENGINE_TABLES).
PART_TABLES = {
    "controllers": ("controller",),
    "dpas": ("dpa",),
    "instructions": ("instruction",),
    "subcontractors": ("subcontractor", "subcontractor_history", "flow_down_agreement"),
    "attestation_types": ("attestation_type",),
    "attestations": ("attestation", "attestation_type"),
    "requirement_groups": ("requirement", "requirement_option", "attestation_type"),
    "engagements": ("engagement",),
    "adequacy": ("adequacy_decision",),
    "incidents": ("incident", "incident_notice"),
    "subject_requests": ("subject_request",),
    "assistance_requests": ("assistance_request",),
    "return_or_deletion": ("return_or_deletion",),
}


def load_facts(previous=None, unchanged=frozenset()):
    """Return the whole registry as RegistryFacts, in a fixed number of queries.

    Each part read only from tables in `unchanged` (not written since `previous` was read) is
    taken from `previous` instead of the database: after a write to one table, the next
    snapshot reads only what comes from that table.
    """
    return RegistryFacts(**{
        part: getattr(previous, part)
        if previous is not None and unchanged.issuperset(PART_TABLES[part]) else load()
        for part, load in LOADERS.items()
    })


# How each part of RegistryFacts is read (from the tables PART_TABLES names).
LOADERS = {
    "controllers": load_controllers,
    "dpas": load_dpas,
    "instructions": load_instructions,
    "subcontractors": load_subcontractors,
    "attestation_types": load_attestation_types,
    "attestations": load_attestations,
    "requirement_groups": load_requirement_groups,
    "engagements": load_engagements,
    "adequacy": load_adequacy,
    "incidents": load_incidents,
    "subject_requests": load_subject_requests,
    "assistance_requests": load_assistance_requests,
    "return_or_deletion": load_return_or_deletion,
}
