"""The `return_or_deletion` section: the evidence of each return-or-deletion item.

The items themselves are derived from the dated ends the other sections carry; this section
carries only what was recorded for one: the end it followed (`trigger_on`), the certificate and
the day of completion. A record is matched by `end` ("contract" or "engagement"), the
controller's key (`*`: every controller, for an every-controller engagement) and the holder's
subcontractor key (null: the processor itself). An `engagement` record names the engagement by
its subcontractor and controller, as the `engagements` section does.
"""

from peewee import JOIN

from registry.compliance.return_or_deletion import item_key
from registry.interchange.kinds import Kind, _document_values, _documents_joined
from registry.interchange.schema import ALL_CONTROLLERS
from registry.models import Controller, Engagement, ReturnOrDeletion, Subcontractor

ENDS = ("contract", "engagement")


class ReturnOrDeletionKind(Kind):
    label = collection = "return_or_deletion"
    model = ReturnOrDeletion
    plain = ("trigger_on", "certificate_on", "completed_on", "notes")

    def is_frozen(self, existing):
        return False  # evidence is completed over time, as on the item's page

    def key(self, record):
        return (record["end"], record["controller"], record["subcontractor"])

    def values(self, record):
        return {**super().values(record), **_document_values(record, "certificate")}

    def load(self):
        query = (ReturnOrDeletion.select(ReturnOrDeletion,
                                         Controller.key.alias("controller_key"),
                                         Subcontractor.key.alias("subcontractor_key"))
                 .join(Controller, JOIN.LEFT_OUTER)
                 .switch(ReturnOrDeletion).join(Subcontractor, JOIN.LEFT_OUTER))
        return {_natural_key(row): row
                for row in _documents_joined(query, ReturnOrDeletion, "certificate")}

    def columns(self, key, values, ids):
        end, controller, subcontractor = key
        controller_id = (None if controller in (None, ALL_CONTROLLERS)
                         else ids["controllers"][controller])
        subcontractor_id = ids["subcontractors"][subcontractor] if subcontractor else None
        engagement_id = (engagement_of(subcontractor_id, controller_id)
                         if end == "engagement" else None)
        row = super().columns(key, values, ids)
        return {"item_key": item_key(controller_id, subcontractor_id, engagement_id),
                "controller": controller_id, "subcontractor": subcontractor_id,
                "engagement": engagement_id, **row}


def _natural_key(row):
    if row["item_key"].startswith("engagement-"):
        return ("engagement", row["controller_key"] or ALL_CONTROLLERS, row["subcontractor_key"])
    return ("contract", row["controller_key"], row["subcontractor_key"])


def engagement_of(subcontractor_id, controller_id):
    """Return the id of the subcontractor's engagement for the controller (None: every
    controller's), or None when there is none."""
    controller = (Engagement.controller.is_null() if controller_id is None
                  else Engagement.controller == controller_id)
    row = (Engagement.select(Engagement.id)
           .where((Engagement.subcontractor == subcontractor_id) & controller)
           .first())
    return row.id if row else None


def _ids_of(record):
    """Return the stored (controller id, subcontractor id) of a record's keys, None if unknown."""
    controller = record["controller"]
    controller_id = None
    if controller not in (None, ALL_CONTROLLERS):
        found = Controller.get_or_none(Controller.key == controller)
        if found is None:
            return None
        controller_id = found.id
    subcontractor_id = None
    if record["subcontractor"] is not None:
        found = Subcontractor.get_or_none(Subcontractor.key == record["subcontractor"])
        if found is None:
            return None
        subcontractor_id = found.id
    return controller_id, subcontractor_id


def has_stored_certificate(record):
    """Tell whether the registry already holds the certificate of the record's item."""
    ids = _ids_of(record)
    if ids is None:
        return False
    controller_id, subcontractor_id = ids
    engagement_id = (engagement_of(subcontractor_id, controller_id)
                     if record["end"] == "engagement" else None)
    if record["end"] == "engagement" and engagement_id is None:
        return False
    stored = ReturnOrDeletion.get_or_none(
        ReturnOrDeletion.item_key == item_key(controller_id, subcontractor_id, engagement_id))
    return stored is not None and stored.certificate_id is not None


def return_or_deletion_problems(record, today):
    """Yield (field path, message) for an evidence record the pages would refuse."""
    end, controller = record["end"], record["controller"]
    if controller is None:
        yield "controller", "Name the controller whose data it was (* for every controller)."
    elif controller == ALL_CONTROLLERS and end != "engagement":
        yield "controller", "Only an engagement's end covers every controller (*)."
    if end == "engagement" and record["subcontractor"] is None:
        yield "subcontractor", "An engagement's end names its subcontractor."
    for name in ("certificate_on", "completed_on"):
        if record[name] is not None and record[name] > today:
            yield name, "The day cannot be in the future."
    completed = record["completed_on"]
    if completed is not None and completed < record["trigger_on"]:
        yield "completed_on", "The day of completion cannot be before the end it follows."
    if completed is not None and record["certificate_on"] is None:
        yield "certificate_on", "A completed return or deletion has its certificate's day."
    if completed is not None and not record.get("certificate") and not has_stored_certificate(
            record):
        yield "certificate", ("A completed return or deletion needs its certificate: export "
                              "with --with-documents and import the files as well.")


RETURN_OR_DELETION_KINDS = (ReturnOrDeletionKind(),)
