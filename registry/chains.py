"""Listing sub-processors as chains: each one under the sub-processor that engages it.

Shared by the subcontractor and controller pages and the sub-processor list report; it imports
no area, so that any area may use it.
"""

from registry.models import Subcontractor


def parent_names(subcontractors):
    """Return {subcontractor id: its parent's name} for the rows `subcontractors` (one query)."""
    parent_ids = {row.parent_id for row in subcontractors if row.parent_id is not None}
    if not parent_ids:
        return {}
    names = dict(Subcontractor.select(Subcontractor.id, Subcontractor.name)
                 .where(Subcontractor.id.in_(list(parent_ids))).tuples())
    return {row.id: names.get(row.parent_id) for row in subcontractors
            if row.parent_id is not None}


def in_chain_order(items, id_of, parent_of, name_of):
    """Return (item, level) for `items` by name, each followed by the items it engages.

    An item whose parent is not among `items` starts a chain of its own (level 0); `level` is
    the depth under it. Several items may share an id (one per engagement): they stay together,
    in their given order. A loop in hand-typed data lists each item once.
    """
    ordered_items = sorted(items, key=lambda item: (name_of(item).casefold(), id_of(item)))
    listed = {id_of(item) for item in ordered_items}
    children, by_id = {}, {}
    for item in ordered_items:
        by_id.setdefault(id_of(item), []).append(item)
    for id_, same in by_id.items():
        parent = parent_of(same[0])
        children.setdefault(parent if parent in listed and parent != id_ else None, []).append(id_)
    result, seen = [], set()

    def visit(id_, level):
        if id_ in seen:
            return
        seen.add(id_)
        result.extend((item, level) for item in by_id[id_])
        for child in children.get(id_, ()):
            visit(child, level + 1)

    for id_ in children.get(None, ()):
        visit(id_, 0)
    for id_ in by_id:  # the members of a loop: no root leads to them
        visit(id_, 0)
    return result
