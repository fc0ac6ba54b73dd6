"""Return or deletion at the end (Art. 28(3)(g)): the items, derived from the dated ends.

An item is one holder's duty to return or delete one controller's personal data and to show a
certificate of it. The items are not stored: they follow from facts the registry keeps anyway,
so `check --today D` reproduces D and an end recorded late (by an import, say) still counts.

- **The contract ended** on the earliest of the controller's `ended_on` and the end of its
  latest signed DPA version (`terminated_on`, or the day after `expires_on`). One item for the
  processor, and one for each subcontractor that held the data the day before: engaged for the
  controller (or for every controller), not withdrawn, and active then.
- **An engagement was withdrawn** (also by offboarding, which withdraws every engagement) while
  the controller's contract still ran: one item for that subcontractor, covering the
  controller, or every controller for an every-controller engagement.

An item is due `return_or_deletion_days` (of the DPA in force the day before the end, 30
without one) after the end day: amber until then, red after, done once `completed_on` (which
needs a certificate) has come. Only the evidence is stored, keyed by the item's `key`.
Second-tier sub-processors are not items of their own: their deletion is the first tier's
duty under its flow-down agreement (Art. 28(4)), certified by its certificate.
"""

import dataclasses
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from registry.compliance.dates import add_days
from registry.compliance.dpas import current_dpa
from registry.compliance.facts import (
    ControllerFacts,
    DpaFacts,
    EngagementFacts,
    RegistryFacts,
    SubcontractorFacts,
    has_happened,
)
from registry.compliance.findings import (
    Assessment,
    Finding,
    Severity,
    make_finding,
    sort_findings,
)
from registry.compliance.messages import say

DEFAULT_DAYS = 30
ITEM_STATES = ("due", "overdue", "done")
# The message variants (registry.compliance.messages) of the choice made and of the end.
_VERBS = {"return": "verb_return", "deletion": "verb_delete",
          "return_then_deletion": "verb_return_then_delete", None: "verb_return_or_delete"}
_REASONS = {"contract_ended": "reason_contract_ended",
            "engagement_withdrawn": "reason_engagement_withdrawn",
            "subcontractor_offboarded": "reason_subcontractor_offboarded"}


@dataclass(frozen=True, slots=True, kw_only=True)
class ReturnOrDeletionEvidenceFacts:
    """The evidence recorded for one item: the day its certificate was received, and the day the
    return or deletion was confirmed complete (which needs the certificate)."""

    key: str
    certificate_on: date | None = None
    completed_on: date | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ReturnOrDeletionItem:
    """One holder's duty to return or delete one controller's data (controller_id None: every
    controller's, for an every-controller engagement); subcontractor_id None: the processor."""

    key: str
    trigger: str
    trigger_on: date
    due_on: date
    controller_id: int | None
    subcontractor_id: int | None = None
    engagement_id: int | None = None
    dpa_id: int | None = None
    choice: str | None = None
    certificate_on: date | None = None
    completed_on: date | None = None

    def has_certificate(self, today: date) -> bool:
        """Return whether the certificate had been received by `today`."""
        return has_happened(self.certificate_on, today)

    def state(self, today: date) -> str:
        """Return "done" (completed by `today`), "overdue" (past `due_on`) or "due"."""
        if has_happened(self.completed_on, today):
            return "done"
        return "overdue" if today > self.due_on else "due"


def item_key(controller_id: int | None, subcontractor_id: int | None = None,
             engagement_id: int | None = None) -> str:
    """Return the stable key of an item: `controller-12`, `controller-12-subcontractor-5` (the
    end of a contract) or `engagement-7` (a withdrawal)."""
    if engagement_id is not None:
        return f"engagement-{engagement_id}"
    key = f"controller-{controller_id}"
    return key if subcontractor_id is None else f"{key}-subcontractor-{subcontractor_id}"


def finding_item_key(finding: Finding) -> str:
    """Return the key of the item a `return_or_deletion_*` finding is about."""
    if finding.subject_type == "engagement":
        return item_key(None, engagement_id=finding.subject_id)
    return item_key(finding.subject_id, finding.subcontractor_id)


def dpa_end(dpa: DpaFacts) -> date | None:
    """Return the first day `dpa` no longer binds by its own dates: its termination, or the day
    after its expiry, whichever comes first (None: open-ended, or ended without a date)."""
    ends = [day for day in (dpa.terminated_on,
                            dpa.expires_on and add_days(dpa.expires_on, 1)) if day is not None]
    return min(ends, default=None)


def latest_signed(dpas: Iterable[DpaFacts], today: date) -> DpaFacts | None:
    """Return the highest version signed by `today` (a later version replaces it), or None."""
    signed = [dpa for dpa in dpas if dpa.status != "draft" and has_happened(dpa.signed_on, today)]
    return max(signed, key=lambda dpa: (dpa.version, dpa.id), default=None)


def contract_end(controller: ControllerFacts, dpas: Iterable[DpaFacts], today: date
                 ) -> tuple[date, DpaFacts | None] | None:
    """Return the day the controller's contract ended, as known on `today`, and its last DPA.

    None while it runs. A DPA renewed (a later version signed) is not an end.
    """
    latest = latest_signed(dpas, today)
    ends = [day for day in (controller.ended_on, latest and dpa_end(latest))
            if has_happened(day, today)]
    return (min(ends), latest) if ends else None


def held_data(engagement: EngagementFacts, subcontractor: SubcontractorFacts | None,
              end: date) -> bool:
    """Return whether the engagement had the subcontractor hold data the day before `end`."""
    if subcontractor is None:
        return False
    day_before = add_days(end, -1)
    return (
        not has_happened(engagement.withdrawn_on, day_before)
        and (engagement.proposed_on is None or engagement.proposed_on <= day_before)
        and subcontractor.as_of(day_before).status == "active"
    )


class _Ends:
    """The registry's facts looked up for deriving items on one day."""

    def __init__(self, facts: RegistryFacts, today: date) -> None:
        self.today = today
        self.subcontractors = {row.id: row for row in facts.subcontractors}
        self.controllers = {row.id: row for row in facts.controllers}
        self.dpas: dict[int, list[DpaFacts]] = defaultdict(list)
        for dpa in facts.dpas:
            self.dpas[dpa.controller_id].append(dpa)
        self.ended = {}
        for controller in facts.controllers:
            end = contract_end(controller, self.dpas[controller.id], today)
            if end is not None:
                self.ended[controller.id] = end

    def terms(self, controller_id: int, end: date) -> DpaFacts | None:
        """Return the controller's DPA in force the day before `end`, or None."""
        return current_dpa(self.dpas[controller_id], add_days(end, -1))

    def still_ran(self, controller_id: int, day: date) -> bool:
        """Return whether the controller's contract ran on the day before `day`."""
        controller = self.controllers.get(controller_id)
        ended = self.ended.get(controller_id)
        return (controller is not None and controller.is_active_on(add_days(day, -1))
                and (ended is None or ended[0] > day))


def _days(dpa: DpaFacts | None) -> int:
    return DEFAULT_DAYS if dpa is None else dpa.return_or_deletion_days


def _contract_items(ends: _Ends, engagements: Iterable[EngagementFacts]
                    ) -> list[ReturnOrDeletionItem]:
    items = []
    holders: dict[int, set[int]] = defaultdict(set)
    for engagement in engagements:
        targets = ends.ended if engagement.controller_id is None else (
            [engagement.controller_id] if engagement.controller_id in ends.ended else [])
        subcontractor = ends.subcontractors.get(engagement.subcontractor_id)
        for controller_id in targets:
            if held_data(engagement, subcontractor, ends.ended[controller_id][0]):
                holders[controller_id].add(engagement.subcontractor_id)
    for controller_id, (end, latest) in ends.ended.items():
        terms = ends.terms(controller_id, end) or latest
        for subcontractor_id in (None, *sorted(holders[controller_id])):
            items.append(ReturnOrDeletionItem(
                key=item_key(controller_id, subcontractor_id), trigger="contract_ended",
                trigger_on=end, due_on=add_days(end, _days(terms)), controller_id=controller_id,
                subcontractor_id=subcontractor_id, dpa_id=terms and terms.id,
                choice=terms and terms.return_or_deletion,
            ))
    return items


def _withdrawal_item(ends: _Ends, engagement: EngagementFacts) -> ReturnOrDeletionItem | None:
    withdrawn_on = engagement.withdrawn_on
    subcontractor = ends.subcontractors.get(engagement.subcontractor_id)
    if not has_happened(withdrawn_on, ends.today) or not held_data(
            engagement, subcontractor, withdrawn_on):
        return None
    trigger = ("subcontractor_offboarded"
               if subcontractor.as_of(withdrawn_on).status == "offboarded"
               else "engagement_withdrawn")
    if engagement.controller_id is None:
        running = [cid for cid in ends.controllers if ends.still_ran(cid, withdrawn_on)]
        days = min((_days(ends.terms(cid, withdrawn_on)) for cid in running),
                   default=DEFAULT_DAYS)
        terms = None
    elif ends.still_ran(engagement.controller_id, withdrawn_on):
        terms = ends.terms(engagement.controller_id, withdrawn_on)
        days = _days(terms)
    else:
        return None  # the end of the contract covers it
    return ReturnOrDeletionItem(
        key=item_key(None, engagement_id=engagement.id), trigger=trigger,
        trigger_on=withdrawn_on, due_on=add_days(withdrawn_on, days),
        controller_id=engagement.controller_id, subcontractor_id=engagement.subcontractor_id,
        engagement_id=engagement.id, dpa_id=terms and terms.id,
        choice=terms and terms.return_or_deletion,
    )


def return_or_deletion_items(facts: RegistryFacts, today: date
                             ) -> tuple[ReturnOrDeletionItem, ...]:
    """Return every item that exists on `today`, with its evidence, earliest due first.

    `facts.subcontractors` must keep their history (the engine's recorded facts), since who
    held the data is judged on the day before each end.
    """
    ends = _Ends(facts, today)
    items = _contract_items(ends, facts.engagements)
    items.extend(item for engagement in facts.engagements
                 if engagement.withdrawn_on is not None
                 and (item := _withdrawal_item(ends, engagement)) is not None)
    evidence = {row.key: row for row in facts.return_or_deletion}
    items = [_with_evidence(item, evidence.get(item.key)) for item in items]
    return tuple(sorted(items, key=lambda item: (item.due_on, item.key)))


def _with_evidence(item: ReturnOrDeletionItem, evidence: ReturnOrDeletionEvidenceFacts | None
                   ) -> ReturnOrDeletionItem:
    if evidence is None:
        return item
    return dataclasses.replace(item, certificate_on=evidence.certificate_on,
                               completed_on=evidence.completed_on)


def _finding(item: ReturnOrDeletionItem, names: dict, today: date) -> Finding | None:
    state = item.state(today)
    if state == "done":
        return None
    holder = names["subcontractors"].get(item.subcontractor_id)  # None: the processor, "We"
    if item.controller_id is None:
        whose = say("whose_every_controller")
    elif item.controller_id in names["controllers"]:
        whose = say("whose_controller", controller=names["controllers"][item.controller_id])
    else:
        whose = say("whose_unknown_controller")
    values = {"verb": say(_VERBS.get(item.choice, "verb_return_or_delete")), "whose": whose,
              "date": item.due_on, "reason": say(_REASONS[item.trigger], date=item.trigger_on)}
    if state == "overdue":
        values["waiting"] = say("waiting_certificate_recorded" if item.has_certificate(today)
                                else "waiting_no_certificate")
    if holder is None:
        message = say(f"return_or_deletion_{state}_we", **values)
    else:
        message = say(f"return_or_deletion_{state}", holder=holder, **values)
    finding = make_finding(
        f"return_or_deletion_{state}", item.engagement_id or item.controller_id, message,
        due_on=item.due_on, controller_id=item.controller_id,
        subcontractor_id=item.subcontractor_id)
    if item.engagement_id is not None:
        finding = dataclasses.replace(finding, subject_type="engagement")
    return finding


def return_or_deletion_findings(items: Iterable[ReturnOrDeletionItem], facts: RegistryFacts,
                                today: date) -> tuple[Finding, ...]:
    """Return an amber finding per item due and a red one per item overdue on `today`."""
    names = {"controllers": {row.id: row.name for row in facts.controllers},
             "subcontractors": {row.id: row.name for row in facts.subcontractors}}
    return sort_findings(finding for item in items
                         if (finding := _finding(item, names, today)) is not None)


def _worsened(statuses: dict[int, Severity], subjects: Iterable[tuple[int | None, Severity]]
              ) -> dict[int, Severity]:
    worse = dict(statuses)
    for subject, severity in subjects:
        if subject is not None:
            worse[subject] = max(worse.get(subject, Severity.GREEN), severity)
    return worse


def with_return_or_deletion(assessment: Assessment, facts: RegistryFacts) -> Assessment:
    """Return `assessment` with the findings of the items of `facts` on its day, and the
    controllers and subcontractors they concern worsened (an ended one included)."""
    items = return_or_deletion_items(facts, assessment.today)
    findings = return_or_deletion_findings(items, facts, assessment.today)
    if not findings:
        return assessment
    return dataclasses.replace(
        assessment,
        findings=sort_findings((*assessment.findings, *findings)),
        controller_status=_worsened(assessment.controller_status,
                                    ((f.controller_id, f.severity) for f in findings)),
        subcontractor_status=_worsened(assessment.subcontractor_status,
                                       ((f.subcontractor_id, f.severity) for f in findings)),
    )
