"""Writes to DPAs: draft, edit, sign (with the PDF), supersede, terminate; each audited.

A signed DPA is never edited: a change is a new version, which supersedes the previous one
when it is signed. Uploaded PDFs are checked (`documents.check_upload`) before the write
transaction opens, so parsing never holds the database's write lock.
"""

from peewee import fn

from registry import audit, documents
from registry.audit_trail.changes import change_details, creation_details, field_values
from registry.clock import local_today
from registry.compliance import CLAUSE_KEYS
from registry.db import write_transaction
from registry.editing import check_version, lock, save_fields
from registry.models import Dpa

TERMS = ("title", "subprocessor_authorisation", "objection_period_days", "breach_notice_hours",
         "dsr_forward_days", "return_or_deletion_days", "expires_on", "review_due_on",
         "subject_matter", "duration", "nature_and_purpose", "personal_data_types",
         "data_subject_categories")
FIELDS = (*TERMS, "version", "status", "signed_on", "effective_from", "terminated_on",
          "return_or_deletion", "document", "supersedes",
          *(f"clause_{key}" for key in CLAUSE_KEYS))


class DpaStateError(Exception):
    """The action does not fit the DPA's status (editing a signed DPA, signing twice ...)."""


def _apply(dpa, values):
    values = dict(values)
    dpa.set_clauses(values.pop("clauses", {}))
    for name, value in values.items():
        setattr(dpa, name, value)


def _name(dpa):
    return f"DPA v{dpa.version} with {dpa.controller.name}"


def _save_changes(dpa, before):
    """Save the fields that differ from `before` and return the audit details of the change."""
    details = change_details(before, field_values(dpa, FIELDS))
    save_fields(dpa, list(details["after"]))
    return details


def latest_draft(controller):
    """Return the controller's unsigned draft, if it has one."""
    return (Dpa.select()
            .where((Dpa.controller == controller) & (Dpa.status == "draft"))
            .order_by(Dpa.version.desc())
            .first())


def create_dpa(controller, values, actor, supersedes=None):
    """Create a draft DPA (the next version for the controller) and audit it; return it."""
    with write_transaction():
        if latest_draft(controller) is not None:
            raise DpaStateError("This controller already has a draft DPA; finish that one.")
        highest = (Dpa.select(fn.MAX(Dpa.version)).where(Dpa.controller == controller).scalar())
        dpa = Dpa(controller=controller, version=(highest or 0) + 1, status="draft",
                  supersedes=supersedes)
        _apply(dpa, values)
        dpa.save()
        audit.record("dpa.created", dpa, f"{_name(dpa)} drafted",
                     creation_details(dpa, FIELDS), actor=actor)
    return dpa


def update_draft(dpa, values, actor, seen_version=None):
    """Change a draft's terms, description or checklist and audit what changed; return it.

    `seen_version` is the row_version the form was opened on: an edit of an older version is
    refused with StaleEdit rather than overwriting the change made meanwhile.
    """
    with write_transaction():
        current = lock(Dpa, dpa.id)
        if current.status != "draft":
            raise DpaStateError("Only a draft can be edited; start a new version instead.")
        check_version(current, seen_version, _name(current))
        before = field_values(current, FIELDS)
        _apply(current, values)
        if field_values(current, FIELDS) != before:
            details = _save_changes(current, before)
            audit.record("dpa.updated", current, f"{_name(current)} draft changed: "
                         f"{', '.join(details['after'])}", details, actor=actor)
    return current


def sign_dpa(dpa, dates, checked, actor, seen_version=None):
    """Record the signature and signed PDF; the version it supersedes becomes superseded.

    `checked` is the PDF as `documents.check_upload` (or a kept pending upload) returns it;
    `seen_version` the draft's row_version the caller read (the API's If-Match), so that terms
    changed meanwhile are not signed unseen (StaleEdit).
    """
    with write_transaction():
        current = lock(Dpa, dpa.id)
        if current.status != "draft":
            raise DpaStateError("This DPA has been signed already.")
        check_version(current, seen_version, _name(current))
        before = field_values(current, FIELDS)
        document = documents.save_upload(checked, actor)
        _apply(current, dict(dates, status="signed", document=document))
        details = _save_changes(current, before)
        audit.record("dpa.signed", current, f"{_name(current)} signed on {current.signed_on}",
                     details, actor=actor)
        if current.supersedes_id is not None:
            previous = lock(Dpa, current.supersedes_id)
            if previous.status == "signed":
                _supersede(previous, current, actor)
    return current


def _supersede(previous, successor, actor):
    before = field_values(previous, FIELDS)
    previous.status = "superseded"
    details = _save_changes(previous, before)
    details["superseded_by"] = successor.id
    audit.record("dpa.superseded", previous,
                 f"{_name(previous)} superseded by version {successor.version}", details,
                 actor=actor)


def check_can_attach(dpa):
    """Raise DpaStateError unless `dpa` is signed and still lacks its PDF."""
    if dpa.status != "signed" or dpa.document_id is not None:
        raise DpaStateError("Only a signed DPA without its PDF can get one attached.")


def attach_document(dpa, upload, actor, seen_version=None):
    """Attach the signed PDF to a signed DPA that was recorded without one.

    `seen_version` as for `terminate_dpa`.
    """
    check_can_attach(dpa)
    checked = documents.check_upload(upload)
    with write_transaction():
        current = lock(Dpa, dpa.id)
        check_version(current, seen_version, _name(current))
        check_can_attach(current)
        before = field_values(current, FIELDS)
        current.document = documents.save_upload(checked, actor)
        details = _save_changes(current, before)
        audit.record("dpa.document_attached", current, f"Signed PDF attached to {_name(current)}",
                     details, actor=actor)
    return current


def check_can_terminate(dpa):
    """Raise DpaStateError unless `dpa` is signed and has no end date yet."""
    if dpa.status != "signed":
        raise DpaStateError("Only a signed DPA can be terminated.")
    if dpa.terminated_on is not None:
        raise DpaStateError(f"This DPA ends on {dpa.terminated_on.isoformat()} already.")


def terminate_dpa(dpa, terminated_on, return_or_deletion, actor, seen_version=None):
    """End a signed DPA on a date, with the chosen return-or-deletion option.

    A DPA ending in the future stays signed (and in force) until that day; the engine reads
    `terminated_on`, so no job has to flip the status later. `seen_version` is the row_version
    the caller read (the API's If-Match): StaleEdit when the DPA changed since.
    """
    with write_transaction():
        current = lock(Dpa, dpa.id)
        check_version(current, seen_version, _name(current))
        check_can_terminate(current)
        before = field_values(current, FIELDS)
        current.terminated_on = terminated_on
        current.return_or_deletion = return_or_deletion
        if terminated_on <= local_today():
            current.status = "terminated"
        details = _save_changes(current, before)
        audit.record("dpa.terminated", current, f"{_name(current)} ends on {terminated_on}",
                     details, actor=actor)
    return current
