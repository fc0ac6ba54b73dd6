"""Writes about subcontractors: each in one transaction with its audit event (before and after)."""

import re
import unicodedata

from registry import audit, documents
from registry.auth.sessions import end_company_sessions
from registry.clock import local_today
from registry.db import write_transaction
from registry.editing import check_version, lock, save_fields
from registry.formatting import counted
from registry.models import Attestation, Engagement, FlowDownAgreement, Subcontractor
from registry.subcontractors.history import (
    dated_values,
    record_before_change,
    touches_dated_facts,
)
from registry.subcontractors.queries import ChainLinks
from registry.validation import parent_error

AUDITED_FIELDS = (
    "name", "business_id", "country", "language", "website", "purpose", "data_categories",
    "processing_countries", "transfer_mechanism", "tia_on", "risk_tier", "handles_card_data",
    "status", "offboarded_on", "contacts", "breach_notice_hours", "parent",
)


class SubcontractorError(Exception):
    """A change that cannot be made; the message says why, for the person who asked."""


def audited_values(subcontractor):
    """Return the subcontractor's audited fields as JSON-ready values."""
    values = {}
    for name in AUDITED_FIELDS:
        # The parent as its id, like every foreign key in the audit trail.
        value = subcontractor.parent_id if name == "parent" else getattr(subcontractor, name)
        values[name] = value.isoformat() if hasattr(value, "isoformat") else value
    return values


def _check_parent(subcontractor_id, parent_id):
    """Refuse a parent that is offboarded or would close a loop, as the rows stand now.

    Called inside the write transaction: the form checked the same rule when it was sent, but
    someone may have offboarded or re-linked a sub-processor since.
    """
    if parent_id is None:
        return
    links = ChainLinks.load()
    if parent_id not in links.names:
        raise SubcontractorError("The chosen parent sub-processor no longer exists.")
    message = parent_error(subcontractor_id, parent_id, links.parents, links.offboarded,
                           links.parents.get(subcontractor_id), links.names)
    if message:
        raise SubcontractorError(message)


def _changes(before, after):
    """Return {"before": ..., "after": ...} with only the fields that differ (audit details)."""
    changed = [name for name in AUDITED_FIELDS if before[name] != after[name]]
    return {"before": {name: before[name] for name in changed},
            "after": {name: after[name] for name in changed}}


def _plain(values):
    return {name: value.isoformat() if hasattr(value, "isoformat") else value
            for name, value in values.items()}


def unique_key(name):
    """Return a key derived from `name` that no subcontractor has yet (e.g. "acme-cloud-2")."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:80] or "subcontractor"
    taken = {
        key for (key,) in Subcontractor.select(Subcontractor.key)
        .where(Subcontractor.key.startswith(base)).tuples()
    }
    key, number = base, 2
    while key in taken:
        key, number = f"{base}-{number}", number + 1
    return key


def create_subcontractor(values, actor):
    """Create a subcontractor from form values and return it."""
    with write_transaction():
        _check_parent(None, values.get("parent"))
        subcontractor = Subcontractor.create(key=unique_key(values["name"]), **values)
        audit.record("subcontractor.created", subcontractor, f"Added {subcontractor.name}",
                     {"before": {}, "after": audited_values(subcontractor)}, actor=actor)
    return subcontractor


def update_subcontractor(subcontractor, values, actor, seen_version=None):
    """Change a subcontractor's details; return the names of the fields that changed.

    `seen_version` is the row_version the form was opened on: an edit of an older version is
    refused with StaleEdit rather than overwriting the change made meanwhile.
    """
    with write_transaction():
        current = lock(Subcontractor, subcontractor.id)
        if current.status == "offboarded":
            raise SubcontractorError("An offboarded subcontractor can no longer be changed.")
        check_version(current, seen_version, current.name)
        before = audited_values(current)
        previous = dated_values(current)
        for name, value in values.items():
            setattr(current, name, value)
        changes = _changes(before, audited_values(current))
        changed = list(changes["after"])
        if not changed:
            return []
        if "parent" in changed:
            _check_parent(current.id, current.parent_id)
        if touches_dated_facts(changed):
            record_before_change({current.id: previous}, local_today())
        save_fields(current, changed)
        audit.record("subcontractor.updated", current,
                     f"Changed {', '.join(changed)} of {current.name}", changes, actor=actor)
    return changed


def offboard_subcontractor(subcontractor, offboarded_on, actor):
    """Offboard the subcontractor and withdraw each of its engagements still in place.

    Return the number of engagements withdrawn. Its users' sessions end, and they can no
    longer sign in (registry.auth.sessions.may_sign_in).
    """
    with write_transaction():
        current = lock(Subcontractor, subcontractor.id)
        if current.status == "offboarded":
            raise SubcontractorError(f"{current.name} was offboarded already.")
        before = audited_values(current)
        record_before_change({current.id: dated_values(current)}, offboarded_on)
        current.status, current.offboarded_on = "offboarded", offboarded_on
        save_fields(current, ["status", "offboarded_on"])
        open_engagements = (Engagement.subcontractor == current) & (
            Engagement.withdrawn_on.is_null()
        )
        engagement_ids = [row.id for row in Engagement.select(Engagement.id)
                          .where(open_engagements)]
        withdrawn = (Engagement.update(withdrawn_on=offboarded_on,
                                       row_version=Engagement.row_version + 1)
                     .where(open_engagements).execute())
        ended = end_company_sessions(current.id)
        audit.record("subcontractor.offboarded", current,
                     f"Offboarded {current.name} on {offboarded_on}; "
                     f"{counted(withdrawn, 'engagement')} withdrawn",
                     {**_changes(before, audited_values(current)),
                      "withdrawn_engagements": engagement_ids, "sessions_ended": ended},
                     actor=actor)
    return withdrawn


def current_flow_down(subcontractor):
    """Return the subcontractor's latest signed, unterminated flow-down agreement, or None."""
    return (FlowDownAgreement.select()
            .where((FlowDownAgreement.subcontractor == subcontractor)
                   & FlowDownAgreement.signed_on.is_null(False)
                   & FlowDownAgreement.terminated_on.is_null())
            .order_by(FlowDownAgreement.signed_on.desc(), FlowDownAgreement.id.desc())
            .first())


def record_flow_down(subcontractor, signed_on, clauses, upload, actor):
    """Record a signed flow-down agreement with its checked PDF; it supersedes the current one.

    `upload` is a `documents.check_upload` result: the file is parsed before the transaction
    and stored inside it, so the agreement and its document are saved together or not at all.
    """
    if subcontractor.status == "offboarded":
        raise SubcontractorError("An offboarded subcontractor needs no flow-down agreement.")
    with write_transaction():
        previous = current_flow_down(subcontractor)
        if previous is not None and signed_on < previous.signed_on:
            raise SubcontractorError(
                f"The current agreement was signed on {previous.signed_on}; a replacement "
                "cannot have been signed before it.")
        document = documents.save_upload(upload, actor)
        agreement = FlowDownAgreement(subcontractor=subcontractor, signed_on=signed_on,
                                      document=document, supersedes=previous)
        agreement.set_clauses(clauses)
        agreement.save()
        if previous is not None:
            previous.terminated_on = signed_on
            previous.save()
        missing = [key for key, present in clauses.items() if not present]
        audit.record(
            "flow_down.recorded", agreement,
            f"Flow-down agreement with {subcontractor.name} signed on {signed_on}",
            {"before": {}, "after": {
                "subcontractor_id": subcontractor.id, "signed_on": signed_on.isoformat(),
                **{f"clause_{key}": bool(value) for key, value in clauses.items()},
                "document": document.filename, "supersedes": previous.id if previous else None},
             "missing_clauses": [str(key) for key in missing]},
            actor=actor)
    return agreement


def latest_accepted(subcontractor, kind):
    """Return the newest accepted attestation of `kind` (the one a new upload replaces)."""
    return (Attestation.select()
            .where((Attestation.subcontractor == subcontractor)
                   & (Attestation.attestation_type == kind)
                   & (Attestation.review == "accepted"))
            .order_by(Attestation.created_at.desc(), Attestation.id.desc())
            .first())


def upload_on_behalf(subcontractor, kind, details, upload, actor):
    """Store a checked PDF and a pending attestation of `kind` for the subcontractor.

    `details` holds issuer, reference, scope, standard_version and the dates the type needs;
    `upload` is a `documents.check_upload` result. The attestation waits in the review queue
    like any upload (accept it there, or at once with `accept_attestation`).
    """
    if subcontractor.status == "offboarded":
        raise SubcontractorError("An offboarded subcontractor takes no new evidence.")
    with write_transaction():
        document = documents.save_upload(upload, actor)
        attestation = Attestation.create(subcontractor=subcontractor, attestation_type=kind,
                                         document=document, uploaded_by=actor, review="pending",
                                         supersedes=latest_accepted(subcontractor, kind),
                                         **details)
        audit.record(
            "attestation.uploaded", attestation,
            f"{kind.name} of {subcontractor.name} uploaded on its behalf ({document.filename})",
            {"before": {}, "after": {
                "subcontractor_id": subcontractor.id, "attestation_type": kind.code,
                "review": "pending", "document": document.filename, **_plain(details)},
             "on_behalf": True, "sha256": document.sha256},
            actor=actor)
    return attestation
