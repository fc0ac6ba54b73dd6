"""Writes of the portal, each in one transaction with its audit event and queued e-mail."""

from registry import audit, documents
from registry.db import is_sqlite, write_transaction
from registry.models import Attestation, Subcontractor, utcnow
from registry.portal import notify

MAX_CONTACTS = 20


class ContactError(Exception):
    """A contact change that cannot be made; the message says why."""


def _previous_accepted(subcontractor, kind):
    return (
        Attestation.select()
        .where(
            (Attestation.subcontractor == subcontractor)
            & (Attestation.attestation_type == kind)
            & (Attestation.review == "accepted")
        )
        .order_by(Attestation.created_at.desc(), Attestation.id.desc())
        .first()
    )


def submit_attestation(subcontractor, user, kind, details, checked_upload):
    """Store a checked PDF and a pending attestation of `kind`; queue the mail to legal staff.

    `details` holds issuer, reference, scope, standard_version and the dates the type needs.
    Return (attestation, whether the e-mail to legal staff was handed over).
    """
    with write_transaction():
        document = documents.save_upload(checked_upload, user)
        attestation = Attestation.create(
            subcontractor=subcontractor,
            attestation_type=kind,
            document=document,
            uploaded_by=user,
            review="pending",
            supersedes=_previous_accepted(subcontractor, kind),
            **details,
        )
        audit.record(
            "attestation.uploaded",
            attestation,
            f"{kind.name} uploaded by {subcontractor.name} ({document.filename})",
            {"subcontractor_id": subcontractor.id, "attestation_type": kind.code,
             "document_id": document.id, "sha256": document.sha256,
             "page_count": document.page_count},
            actor=user,
        )
        notified = notify.send_upload_notice(attestation)  # queued with the upload
    return attestation, notified


def _locked(subcontractor):
    query = Subcontractor.select().where(Subcontractor.id == subcontractor.id)
    # SQLite's BEGIN IMMEDIATE already serialises writers; PostgreSQL needs the row lock.
    return (query if is_sqlite() else query.for_update()).get()


def _save_contacts(subcontractor, contacts, action, summary, user):
    Subcontractor.update(contacts=contacts, updated_at=utcnow()).where(
        Subcontractor.id == subcontractor.id
    ).execute()
    audit.record(action, subcontractor, summary, {"contacts": contacts}, actor=user)


def add_contact(subcontractor, email, user):
    """Add a reminder address to the company's contacts (no duplicates, at most MAX_CONTACTS)."""
    with write_transaction():
        current = _locked(subcontractor)
        contacts = list(current.contacts)
        if email.lower() in {address.lower() for address in contacts}:
            raise ContactError(f"{email} is on the list already.")
        if len(contacts) >= MAX_CONTACTS:
            raise ContactError(f"A company can have at most {MAX_CONTACTS} addresses.")
        contacts.append(email)
        _save_contacts(current, contacts, "subcontractor.contact_added",
                       f"{email} added to the contacts of {current.name}", user)


def remove_contact(subcontractor, email, user):
    """Remove a reminder address; the last one stays, so that reminders reach someone."""
    with write_transaction():
        current = _locked(subcontractor)
        contacts = [address for address in current.contacts if address.lower() != email.lower()]
        if len(contacts) == len(current.contacts):
            raise ContactError(f"{email} is not on the list.")
        if not contacts:
            raise ContactError("Keep at least one address, so that reminders reach someone.")
        _save_contacts(current, contacts, "subcontractor.contact_removed",
                       f"{email} removed from the contacts of {current.name}", user)
