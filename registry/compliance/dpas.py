"""Rules for a controller's data processing agreement."""

from collections.abc import Iterable
from datetime import date

from registry.compliance.dates import Horizon
from registry.compliance.facts import ControllerFacts, DpaFacts, missing_clauses
from registry.compliance.findings import Finding, make_finding


def dpa_is_in_force(dpa: DpaFacts, today: date) -> bool:
    """Return whether `dpa` is signed, has started and has not been terminated on `today`.

    An expired DPA is still in force in this sense: it stays the current DPA and is reported red.
    """
    return (
        dpa.status == "signed"
        and (dpa.effective_from is None or dpa.effective_from <= today)
        and (dpa.terminated_on is None or dpa.terminated_on > today)
    )


def current_dpa(dpas: Iterable[DpaFacts], today: date) -> DpaFacts | None:
    """Return the highest-version DPA in force on `today`, or None."""
    in_force = [dpa for dpa in dpas if dpa_is_in_force(dpa, today)]
    return max(in_force, key=lambda dpa: (dpa.version, dpa.id), default=None)


def dpa_findings(
    controller: ControllerFacts,
    dpas: Iterable[DpaFacts],
    current: DpaFacts | None,
    horizon: Horizon,
) -> list[Finding]:
    """Return the findings about an active controller's current DPA (or its absence)."""
    if current is None:
        return [_missing_finding(controller, dpas, horizon)]
    name = f"DPA v{current.version} with {controller.name}"
    findings = [
        make_finding(
            f"dpa_clause_missing:{key}",
            current.id,
            f"{name} lacks clause ({key.letter}) {key.label}",
            controller_id=controller.id,
        )
        for key in missing_clauses(current.clauses)
    ]
    if horizon.is_expired(current.expires_on):
        findings.append(
            _dated("dpa_expired", current, controller, f"{name} expired on {current.expires_on}")
        )
    elif horizon.is_expiring(current.expires_on):
        findings.append(
            _dated("dpa_expiring", current, controller, f"{name} expires on {current.expires_on}")
        )
    if horizon.is_expired(current.review_due_on):
        message = f"{name} was due for review on {current.review_due_on}"
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


def _dated(code: str, dpa: DpaFacts, controller: ControllerFacts, message: str) -> Finding:
    return make_finding(code, dpa.id, message, due_on=dpa.expires_on, controller_id=controller.id)


def _missing_finding(
    controller: ControllerFacts, dpas: Iterable[DpaFacts], horizon: Horizon
) -> Finding:
    upcoming = [
        dpa
        for dpa in dpas
        if dpa.status == "signed"
        and dpa.effective_from is not None
        and dpa.effective_from > horizon.today
    ]
    message = f"{controller.name} has no signed DPA in force"
    if upcoming:
        first = min(upcoming, key=lambda dpa: dpa.effective_from)
        message += f"; DPA v{first.version} starts on {first.effective_from}"
    return make_finding("dpa_missing", controller.id, message, controller_id=controller.id)
