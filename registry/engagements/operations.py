"""Writes about engagements, each in one transaction with its audit event.

Only facts are stored (proposed, notified, objected, approved, withdrawn and their dates); the
status follows from them in registry.compliance.
"""

from registry import audit, documents
from registry.db import write_transaction
from registry.editing import check_version, lock, save_fields
from registry.models import Engagement


class EngagementError(Exception):
    """A change that cannot be made; the message says why."""


def _day(value):
    return value.isoformat() if value else None


def _plain(value):
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "_meta"):
        return value.get_id()
    return value


def _existing(subcontractor, controller_ids):
    """Return the open engagements of `subcontractor` among `controller_ids` (None: scope all)."""
    query = Engagement.select().where((Engagement.subcontractor == subcontractor)
                                      & Engagement.withdrawn_on.is_null())
    if controller_ids is None:
        return list(query.where(Engagement.controller.is_null()))
    return list(query.where(Engagement.controller.in_(controller_ids)))


def add_engagements(subcontractor, controllers, proposed_on, on_list_at_signing, notes, actor):
    """Engage the subcontractor for `controllers` (None: for every controller); return them.

    A controller it is engaged for already (and not withdrawn) is refused, so that an
    engagement's history stays in one row.
    """
    if subcontractor.status == "offboarded":
        raise EngagementError(f"{subcontractor.name} was offboarded and cannot be engaged.")
    with write_transaction():
        ids = None if controllers is None else [controller.id for controller in controllers]
        existing = _existing(subcontractor, ids)
        if existing:
            raise EngagementError(_already(subcontractor, existing, controllers))
        targets = [None] if controllers is None else controllers
        created = [Engagement.create(subcontractor=subcontractor, controller=controller,
                                     proposed_on=proposed_on,
                                     on_list_at_signing=on_list_at_signing, notes=notes)
                   for controller in targets]
        for engagement, controller in zip(created, targets, strict=True):
            who = controller.name if controller else "all controllers"
            audit.record("engagement.created", engagement,
                         f"{subcontractor.name} engaged for {who}",
                         {"before": {}, "after": {"subcontractor_id": subcontractor.id,
                                    "controller_id": controller.id if controller else None,
                                    "proposed_on": _day(proposed_on),
                                    "on_list_at_signing": on_list_at_signing, "notes": notes}},
                         actor=actor)
    return created


def _already(subcontractor, existing, controllers):
    if controllers is None:
        return f"{subcontractor.name} is engaged for all controllers already."
    names = {controller.id: controller.name for controller in controllers}
    listed = ", ".join(sorted(names[engagement.controller_id] for engagement in existing))
    return f"{subcontractor.name} is engaged already for: {listed}."


def _locked(engagement, seen_version=None):
    """Re-read and lock the engagement; StaleEdit when it is not at `seen_version` (if given)."""
    current = lock(Engagement, engagement.id)
    check_version(current, seen_version, f"Engagement #{current.id}")
    if current.withdrawn_on is not None:
        raise EngagementError("This engagement was withdrawn; nothing more can be recorded.")
    return current


def _save(engagement, changes, action, summary, actor, extra=None):
    before = {name: _plain(getattr(engagement, name)) for name in changes}
    for name, value in changes.items():
        setattr(engagement, name, value)
    save_fields(engagement, list(changes))
    after = {name: _plain(value) for name, value in changes.items()}
    audit.record(action, engagement, summary, {"before": before, "after": after, **(extra or {})},
                 actor=actor)


def record_objection(engagement, objected_on, note, actor, controller=None, seen_version=None):
    """Record that the controller objected (date and note); return the engagement objected to.

    An engagement for every controller stays in place for the others: the objecting
    `controller` gets an engagement of its own (created, or its open one) carrying the
    objection, so that only that controller's processing turns red. `seen_version` is the
    row_version of `engagement` the caller read (the API's If-Match): StaleEdit when it changed.
    """
    with write_transaction():
        current = _locked(engagement, seen_version)
        if current.controller_id is None:
            if controller is None:
                raise EngagementError("Choose the controller that objected.")
            current = _own_engagement(current, controller, actor)
        if current.objected_on is not None:
            raise EngagementError(f"An objection was recorded already ({current.objected_on}).")
        _save(current, {"objected_on": objected_on, "objection_note": note.strip()},
              "engagement.objected", f"Objection recorded on {objected_on}", actor)
    return current


def _own_engagement(shared, controller, actor):
    existing = _existing(shared.subcontractor_id, [controller.id])
    if existing:
        return existing[0]
    own = Engagement.create(
        subcontractor=shared.subcontractor_id, controller=controller,
        proposed_on=shared.proposed_on, notified_on=shared.notified_on,
        notice_recipients=list(controller.privacy_contacts), notice_sent_at=shared.notice_sent_at,
        notes=f"Objection to engagement #{shared.id} (every controller).")
    audit.record("engagement.created", own,
                 f"{controller.name}'s part of engagement #{shared.id}, for its objection",
                 {"before": {}, "after": {"subcontractor_id": shared.subcontractor_id,
                                          "controller_id": controller.id,
                                          "notified_on": _day(shared.notified_on)},
                  "split_from": shared.id}, actor=actor)
    return own


def record_approval(engagement, approved_on, upload, reference, actor, seen_version=None):
    """Record the controller's written approval: its checked PDF, or a reference to it.

    The reference (where the approval is kept) is added to the engagement's notes;
    `seen_version` as for `record_objection`.
    """
    reference = reference.strip()
    with write_transaction():
        current = _locked(engagement, seen_version)
        if current.approved_on is not None:
            raise EngagementError(f"An approval was recorded already ({current.approved_on}).")
        document = documents.save_upload(upload, actor) if upload is not None else None
        changes = {"approved_on": approved_on, "approval_document": document}
        if reference:
            line = f"Written approval of {approved_on}: {reference}"
            changes["notes"] = f"{current.notes}\n{line}" if current.notes else line
        _save(current, changes, "engagement.approved",
              f"Written approval recorded on {approved_on}", actor,
              {"document": document.filename if document else None, "reference": reference})
    return current


def withdraw_engagement(engagement, withdrawn_on, actor, seen_version=None):
    """Withdraw the engagement: the subcontractor no longer processes that controller's data.

    `seen_version` as for `record_objection`.
    """
    with write_transaction():
        current = _locked(engagement, seen_version)
        _save(current, {"withdrawn_on": withdrawn_on}, "engagement.withdrawn",
              f"Engagement withdrawn on {withdrawn_on}", actor)
    return current
