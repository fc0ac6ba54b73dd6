"""Sub-processor chains: a sub-processor engaged by another sub-processor (its parent).

A subcontractor whose parent processes a controller's data processes it too, so the
controller's authorisation has to cover it like any first-tier sub-processor (GDPR Art. 28(2)
and (4); EDPB Guidelines 07/2020: the controller is given the full list, sub-processors of
sub-processors included). Every link of a chain therefore needs its own engagement for each
controller whose data reaches it, and counts in that controller's status like the first tier.

Parents are read as of the day asked (`SubcontractorFacts.as_of`). Data flows only through an
active parent (a proposed one processes nothing yet, an offboarded one nothing any more), and a
loop in the links (which forms, imports and the API refuse, but hand-typed SQL could make) ends
the chain where it closes.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from registry.compliance.facts import ControllerFacts, SubcontractorFacts
from registry.compliance.findings import Finding, make_finding
from registry.compliance.index import Reach, RegistryIndex
from registry.compliance.messages import say


@dataclass(frozen=True, slots=True)
class Chains:
    """Whose data each subcontractor processes, through its own engagements and its parents'
    (`reach`), and the controllers that have not authorised a link of a chain (`findings`)."""

    reach: Reach
    findings: tuple[Finding, ...]


def ancestors(subcontractor_id: int, subcontractors: Mapping[int, SubcontractorFacts]
              ) -> tuple[int, ...]:
    """Return the ids of the sub-processors data reaches `subcontractor_id` through, nearest
    first: its parent, the parent's parent ... up to a loop, an unknown id or a parent that is
    not active (it processes nothing, so passes nothing on)."""
    seen = {subcontractor_id}
    chain = []
    parent_id = subcontractors[subcontractor_id].parent_id
    while parent_id is not None and parent_id not in seen:
        parent = subcontractors.get(parent_id)
        if parent is None or parent.status != "active":
            break
        chain.append(parent_id)
        seen.add(parent_id)
        parent_id = parent.parent_id
    return tuple(chain)


def trace_chains(index: RegistryIndex, reach: Reach) -> Chains:
    """Extend `reach` (engagements only) along the chains, and find the unauthorised links.

    A link is unauthorised for an active controller whose data its parent processes when it
    has no engagement of its own for that controller (one withdrawn does not count; one
    objected to or not yet authorised is judged by the engagement rules).
    """
    linked = sorted(
        (subcontractor for subcontractor in index.subcontractors.values()
         if subcontractor.parent_id is not None and subcontractor.status != "offboarded"),
        key=lambda subcontractor: subcontractor.id,
    )
    if not linked:
        return Chains(reach, ())
    by_controller = {cid: set(ids) for cid, ids in reach.subcontractors_by_controller.items()}
    by_subcontractor = {sid: set(cids) for sid, cids in reach.controllers_by_subcontractor.items()}
    scope_all = set(reach.scope_all)
    findings = []
    for subcontractor in linked:
        chain = ancestors(subcontractor.id, index.subcontractors)
        everyone = any(link in reach.scope_all for link in chain)
        inherited = _inherited(chain, everyone, reach, index)
        if subcontractor.status == "active" and subcontractor.id not in reach.scope_all:
            own = reach.controllers_by_subcontractor.get(subcontractor.id, set())
            parent = index.subcontractors[chain[0]] if chain else None
            findings.extend(_finding(subcontractor, parent, controller)
                            for controller in inherited if controller.id not in own)
        if everyone:
            scope_all.add(subcontractor.id)
            continue
        for controller in inherited:
            by_controller.setdefault(controller.id, set()).add(subcontractor.id)
            by_subcontractor.setdefault(subcontractor.id, set()).add(controller.id)
    return Chains(Reach(by_controller, by_subcontractor, frozenset(scope_all)), tuple(findings))


def _inherited(chain: tuple[int, ...], everyone: bool, reach: Reach, index: RegistryIndex
               ) -> tuple[ControllerFacts, ...]:
    """Return the active controllers whose data reaches the end of `chain` from its links."""
    if everyone:
        return index.active_controllers
    reached = set()
    for link in chain:
        reached |= reach.controllers_by_subcontractor.get(link, set())
    # `reach` holds active controllers only.
    return tuple(index.controllers[controller_id] for controller_id in sorted(reached))


def _finding(subcontractor: SubcontractorFacts, parent: SubcontractorFacts,
             controller: ControllerFacts) -> Finding:
    message = say("engagement_chain_unauthorised", subcontractor=subcontractor.name,
                  controller=controller.name, parent=parent.name)
    return make_finding(
        "engagement_chain_unauthorised", subcontractor.id, message,
        controller_id=controller.id, subcontractor_id=subcontractor.id,
    )
