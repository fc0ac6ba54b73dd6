"""Writes to an item's evidence: attach the certificate, confirm the completion; each audited.

An item is derived, not stored: its evidence row is created by the first write, under the
item's key, inside the same write transaction as the audit event. Uploaded PDFs are checked
(`documents.check_upload`) before the transaction opens, so parsing never holds the lock.
"""

from registry import audit, documents
from registry.db import is_sqlite, write_transaction
from registry.editing import check_version, save_fields
from registry.models import ReturnOrDeletion


class ReturnOrDeletionError(Exception):
    """The action does not fit the item now; the message says why."""


def _subject(item):
    # Audited under the item's key, which names its page; the evidence row's id names nothing.
    return "return_or_deletion", item.key


def _locked_row(item):
    """Return the item's evidence row, created if it has none, locked for this transaction."""
    ReturnOrDeletion.insert(
        item_key=item.key, controller=item.controller_id, subcontractor=item.subcontractor_id,
        engagement=item.engagement_id, trigger_on=item.trigger_on,
    ).on_conflict_ignore().execute()
    query = ReturnOrDeletion.select().where(ReturnOrDeletion.item_key == item.key)
    return query.get() if is_sqlite() else query.for_update().get()


def record_certificate(item, checked, label, actor, today, seen_version=None):
    """Attach the checked certificate PDF to the item, received on `today`; return the row.

    A certificate replaces an earlier one until the item is marked completed.
    """
    with write_transaction():
        row = _locked_row(item)
        check_version(row, seen_version, label)
        if row.completed_on is not None:
            raise ReturnOrDeletionError(
                f"The {label} was marked completed on {row.completed_on.isoformat()}; its "
                "certificate is kept as it was.")
        replaced = row.certificate_id
        row.certificate = documents.save_upload(checked, actor)
        row.certificate_on = today
        save_fields(row, ["certificate", "certificate_on"])
        audit.record("return_or_deletion.certificate_uploaded", _subject(item),
                     f"Certificate of the {label} uploaded ({row.certificate.filename})",
                     {"item": item.key, "document": row.certificate_id,
                      "replaced_document": replaced, "certificate_on": today.isoformat()},
                     actor=actor)
    return row


def completion_error(item, row, completed_on, today):
    """Return why the item cannot be completed on `completed_on`, or None."""
    if row is None or row.certificate_id is None:
        return "Upload the certificate of return or deletion first."
    if row.completed_on is not None:
        return f"It was marked completed on {row.completed_on.isoformat()} already."
    if completed_on > today:
        return "The day of completion cannot be in the future."
    if completed_on < item.trigger_on:
        return (f"The day of completion cannot be before the end it follows "
                f"({item.trigger_on.isoformat()}).")
    return None


def mark_completed(item, completed_on, label, actor, today):
    """Record that the return or deletion was completed on `completed_on`, as certified."""
    with write_transaction():
        row = _locked_row(item)
        problem = completion_error(item, row, completed_on, today)
        if problem:
            raise ReturnOrDeletionError(problem)
        row.completed_on, row.completed_by = completed_on, actor
        save_fields(row, ["completed_on", "completed_by"])
        audit.record("return_or_deletion.completed", _subject(item),
                     f"The {label} was completed on {completed_on.isoformat()}",
                     {"item": item.key, "completed_on": completed_on.isoformat(),
                      "certificate": row.certificate_id}, actor=actor)
    return row
