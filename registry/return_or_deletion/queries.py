"""Named reads: the evidence rows the engine loads, and the items pages list and look up.

The items are derived from the shared snapshot (`registry.compliance.return_or_deletion`), so
every page, `check` and the alerts see the same items on the same day.
"""

import re
from dataclasses import dataclass

from flask import abort

from registry.compliance.return_or_deletion import (
    ITEM_STATES,
    ReturnOrDeletionEvidenceFacts,
    return_or_deletion_items,
)
from registry.listing import per_snapshot
from registry.models import ReturnOrDeletion

STATES = ("open", "overdue", "done", "all")
# The item states each filter shows.
_SHOWN = {"open": ("due", "overdue"), "overdue": ("overdue",), "done": ("done",),
          "all": ITEM_STATES}
KEY_PATTERN = re.compile(r"(controller-\d{1,18}(-subcontractor-\d{1,18})?|engagement-\d{1,18})")
PER_PAGE = 25


def load_return_or_deletion():
    """Return every item's recorded evidence as ReturnOrDeletionEvidenceFacts."""
    query = ReturnOrDeletion.select(ReturnOrDeletion.item_key, ReturnOrDeletion.certificate_on,
                                    ReturnOrDeletion.completed_on).tuples()
    return tuple(
        ReturnOrDeletionEvidenceFacts(key=key, certificate_on=certificate_on,
                                      completed_on=completed_on)
        for key, certificate_on, completed_on in query
    )


@per_snapshot
def items_of(snapshot):
    """Return the items that exist on the snapshot's day, earliest due first."""
    return return_or_deletion_items(snapshot.facts, snapshot.assessment.today)


@dataclass(frozen=True)
class ItemFilters:
    """The list's filters: state (open, overdue, done), controller and subcontractor ids."""

    state: str = "open"
    controller: int | None = None
    subcontractor: int | None = None
    page: int = 1

    @classmethod
    def from_args(cls, args):
        """Read the filters from query arguments (unknown values are ignored)."""
        state = args.get("state", "open")
        return cls(state=state if state in STATES else "open",
                   controller=args.get("controller", type=int),
                   subcontractor=args.get("subcontractor", type=int),
                   page=max(args.get("page", 1, type=int) or 1, 1))

    def as_args(self, **changes):
        """Return the filters as query arguments, without the empty ones."""
        values = {"state": self.state, "controller": self.controller,
                  "subcontractor": self.subcontractor, "page": self.page}
        values.update(changes)
        return {name: value for name, value in values.items() if value not in (None, "", 1)}

    def is_narrowed(self):
        """Tell whether a controller or subcontractor narrows the list."""
        return self.controller is not None or self.subcontractor is not None

    def keeps(self, item, today):
        """Tell whether `item` passes the filters on `today`."""
        return (item.state(today) in _SHOWN[self.state]
                and (self.controller is None or item.controller_id == self.controller)
                and (self.subcontractor is None or item.subcontractor_id == self.subcontractor))


def filtered(snapshot, filters):
    """Return the items of the snapshot that pass `filters`, earliest due first."""
    today = snapshot.assessment.today
    return [item for item in items_of(snapshot) if filters.keeps(item, today)]


def items_for_controller(snapshot, controller_id):
    """Return the controller's items (those naming it), earliest due first."""
    return [item for item in items_of(snapshot) if item.controller_id == controller_id]


def items_for_subcontractor(snapshot, subcontractor_id):
    """Return the subcontractor's items, earliest due first."""
    return [item for item in items_of(snapshot) if item.subcontractor_id == subcontractor_id]


def open_items(snapshot):
    """Return the items due or overdue on the snapshot's day, earliest due first."""
    today = snapshot.assessment.today
    return [item for item in items_of(snapshot) if item.state(today) != "done"]


def find_item(snapshot, key):
    """Return the item `key` of the snapshot, or None (a malformed key is never looked up)."""
    if not KEY_PATTERN.fullmatch(key or ""):
        return None
    return next((item for item in items_of(snapshot) if item.key == key), None)


def get_item_or_404(snapshot, key, subcontractor_id=None):
    """Return the item `key`; 404 when there is none, or (for a portal user) it is another
    company's or the processor's own."""
    item = find_item(snapshot, key)
    if item is None or (subcontractor_id is not None and item.subcontractor_id != subcontractor_id):
        abort(404)
    return item


def evidence_of(key):
    """Return the evidence row of the item `key` with its certificate, or None."""
    return ReturnOrDeletion.get_or_none(ReturnOrDeletion.item_key == key)


def names_of(snapshot):
    """Return {"controllers": {id: name}, "subcontractors": {id: name}} of the snapshot."""
    return {"controllers": {row.id: row.name for row in snapshot.facts.controllers},
            "subcontractors": {row.id: row.name for row in snapshot.facts.subcontractors}}



_NOUNS = {"return": "return", "deletion": "deletion", "return_then_deletion": "return and deletion"}


def label_of(item, names, holder_known=False):
    """Return what the item is, in words: "deletion of Acme Oy's data by Pilvipalvelu Oy".

    `holder_known` leaves the holder out (the portal, where the reader is the holder).
    """
    noun = _NOUNS.get(item.choice, "return or deletion")
    whose = ("every controller's" if item.controller_id is None
             else f"{names['controllers'].get(item.controller_id, 'a controller')}'s")
    if holder_known:
        return f"{noun} of {whose} data"
    holder = ("us" if item.subcontractor_id is None
              else names["subcontractors"].get(item.subcontractor_id, "a subcontractor"))
    return f"{noun} of {whose} data by {holder}"
