"""Rules for a controller's data processing agreement."""

from collections.abc import Iterable
from datetime import date

from registry.compliance.dates import Horizon
from registry.compliance.facts import ControllerFacts, DpaFacts, missing_clauses
from registry.compliance.findings import Finding, make_finding
from registry.compliance.messages import ELEMENT_KEYS, Clause, Phrase, Words, say


def current_dpa(dpas: Iterable[DpaFacts], today: date) -> DpaFacts | None:
    """Return the highest-version DPA in force on `today` (GDPR Art. 28(3)), or None.

    An expired DPA is still in force in this sense: it stays the current DPA, is reported red and
    authorises nothing (`DpaFacts.authorises_on`).
    """
    in_force = [dpa for dpa in binding_dpas(dpas, today) if dpa.is_in_force_on(today)]
    return max(in_force, key=lambda dpa: (dpa.version, dpa.id), default=None)


def continuous_since(dpas: Iterable[DpaFacts], current: DpaFacts) -> date | None:
    """Return the signing day of the first version in the unbroken line that ends in `current`.

    A sub-processor listed at signing stays authorised from that first day across later
    versions that replace their predecessor without a gap (DOMAIN.md "Effective dating"): a
    re-signed version must not move the date. A version terminated before the next one came
    into force breaks the line.
    """
    signed = sorted(
        (dpa for dpa in dpas if dpa.signed_on is not None and dpa.version < current.version
         and dpa.status in ("superseded", "terminated")),
        key=lambda dpa: dpa.version,
        reverse=True,
    )
    first, successor = current, current
    for dpa in signed:
        replaced = dpa.status == "superseded" or (
            dpa.terminated_on is not None
            and (successor.effective_from or successor.signed_on) is not None
            and dpa.terminated_on >= (successor.effective_from or successor.signed_on)
        )
        if not replaced:
            break
        first, successor = dpa, dpa
    return first.signed_on


def binding_dpas(dpas: Iterable[DpaFacts], today: date) -> list[DpaFacts]:
    """Return the DPAs signed and not ended on `today`, whether started or not.

    A superseded version governs only until its successor is in force; with no successor on
    record, nothing says it still binds.
    """
    dpas = list(dpas)
    newest = max((dpa.version for dpa in dpas), default=0)
    return [
        dpa for dpa in dpas
        if dpa.is_binding_on(today) and (dpa.status != "superseded" or dpa.version < newest)
    ]


def dpa_findings(
    controller: ControllerFacts,
    dpas: Iterable[DpaFacts],
    current: DpaFacts | None,
    horizon: Horizon,
) -> list[Finding]:
    """Return the findings about an active controller's current DPA (or its absence)."""
    if current is None:
        return [_missing_finding(controller, dpas, horizon)]
    dpa = {"version": current.version, "controller": controller.name}
    findings = [
        make_finding(
            f"dpa_clause_missing:{key}",
            current.id,
            say("dpa_clause_missing", letter=key.letter, clause=Clause(str(key)), **dpa),
            controller_id=controller.id,
        )
        for key in missing_clauses(current.clauses)
    ]
    missing = current.missing_description()
    if missing:
        elements = Words(tuple(Phrase(ELEMENT_KEYS[label]) for label in missing))
        message = say("dpa_description_missing", elements=elements, **dpa)
        findings.append(
            make_finding("dpa_description_missing", current.id, message,
                         controller_id=controller.id)
        )
    if not current.document_attached:
        message = say("dpa_document_missing", **dpa)
        findings.append(
            make_finding("dpa_document_missing", current.id, message, controller_id=controller.id)
        )
    if horizon.is_expired(current.expires_on):
        findings.append(
            _dated("dpa_expired", current, controller,
                   say("dpa_expired", date=current.expires_on, **dpa))
        )
    elif horizon.is_expiring(current.expires_on):
        findings.append(
            _dated("dpa_expiring", current, controller,
                   say("dpa_expiring", date=current.expires_on, **dpa))
        )
    if horizon.is_expired(current.review_due_on):
        message = say("dpa_review_due", date=current.review_due_on, **dpa)
        findings.append(
            make_finding(
                "dpa_review_due",
                current.id,
                message,
                due_on=current.review_due_on,
                controller_id=controller.id,
            )
        )
    return findings


def _dated(code: str, dpa: DpaFacts, controller: ControllerFacts, message: Phrase) -> Finding:
    return make_finding(code, dpa.id, message, due_on=dpa.expires_on, controller_id=controller.id)


def _missing_finding(
    controller: ControllerFacts, dpas: Iterable[DpaFacts], horizon: Horizon
) -> Finding:
    upcoming = [
        dpa
        for dpa in binding_dpas(dpas, horizon.today)
        if dpa.effective_from is not None and dpa.effective_from > horizon.today
    ]
    message = say("dpa_missing", controller=controller.name)
    if upcoming:
        first = min(upcoming, key=lambda dpa: dpa.effective_from)
        message = say("dpa_missing_upcoming", controller=controller.name, version=first.version,
                      date=first.effective_from)
    return make_finding("dpa_missing", controller.id, message, controller_id=controller.id)
