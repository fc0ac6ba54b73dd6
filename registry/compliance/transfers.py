"""Rules for transfers of personal data outside the EEA (GDPR Chapter V)."""

from collections.abc import Mapping, Sequence
from datetime import date

from registry.compliance.facts import AdequacyFacts, SubcontractorFacts
from registry.compliance.findings import Finding, make_finding

EEA_COUNTRIES = frozenset(
    {
        "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU",
        "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
        "IS", "LI", "NO",
    }
)  # fmt: skip

TRANSFER_MECHANISMS: dict[str, str] = {
    "adequacy": "Adequacy decision (Art. 45)",
    "dpf": "EU-US Data Privacy Framework",
    "scc_2021_m2": "SCC 2021, module 2 (controller to processor)",
    "scc_2021_m3": "SCC 2021, module 3 (processor to processor)",
    "bcr": "Binding corporate rules (Art. 47)",
    "scc_2010": "SCC 2010 (invalid since 27 Dec 2022; recorded for history only)",
}

# The US adequacy decision covers only organisations certified under the Data Privacy Framework.
DPF_COUNTRY = "US"
DPF_CERTIFICATION_CODE = "dpf_certification"


def countries_outside_eea(subcontractor: SubcontractorFacts) -> tuple[str, ...]:
    """Return the subcontractor's home and processing countries outside the EEA, sorted."""
    countries = {
        code.strip().upper()
        for code in (subcontractor.country, *subcontractor.processing_countries)
        if code and code.strip()
    }
    return tuple(sorted(countries - EEA_COUNTRIES))


def transfer_finding(
    subcontractor: SubcontractorFacts,
    adequacy: Mapping[str, Sequence[AdequacyFacts]],
    today: date,
    dpf_certified: bool = False,
) -> Finding | None:
    """Return the finding when processing outside the EEA lacks a valid mechanism, or None.

    `dpf_certified`: the subcontractor has an accepted DPF certification attestation current on
    `today`, without which `dpf` covers nothing.
    """
    countries = countries_outside_eea(subcontractor)
    if not countries:
        return None
    where = ", ".join(countries)
    mechanism = subcontractor.transfer_mechanism
    if mechanism is None:
        message = f"{subcontractor.name} processes data in {where} without a transfer mechanism"
        return make_finding(
            "transfer_mechanism_missing",
            subcontractor.id,
            message,
            subcontractor_id=subcontractor.id,
        )
    problem = _mechanism_problem(subcontractor, countries, adequacy, today, dpf_certified)
    if problem is None:
        return None
    return make_finding(
        "transfer_mechanism_invalid",
        subcontractor.id,
        f"{subcontractor.name} ({where}): {problem}",
        subcontractor_id=subcontractor.id,
    )


def _mechanism_problem(
    subcontractor: SubcontractorFacts,
    countries: tuple[str, ...],
    adequacy: Mapping[str, Sequence[AdequacyFacts]],
    today: date,
    dpf_certified: bool,
) -> str | None:
    mechanism = subcontractor.transfer_mechanism
    if mechanism == "bcr":
        return None
    if mechanism == "scc_2010":
        return "the 2010 standard contractual clauses are invalid since 27 Dec 2022"
    if mechanism == "scc_2021_m2":
        # The registry's subcontractors are sub-processors: processor to processor is module 3.
        return ("module 2 of the 2021 standard contractual clauses is for controller-to-processor "
                "transfers; a sub-processor needs module 3")
    if mechanism == "scc_2021_m3":
        if subcontractor.tia_on is None or subcontractor.tia_on > today:
            return "transfer impact assessment missing for the 2021 standard contractual clauses"
        return None
    if mechanism == "adequacy":
        return _adequacy_problem(countries, adequacy, today)
    if mechanism == "dpf":
        if DPF_COUNTRY in countries and not dpf_certified:
            return ("the Data Privacy Framework needs an accepted, current DPF certification of "
                    "the subcontractor")
        return _dpf_problem(countries, adequacy, today)
    return f"{mechanism!r} is not a recognised transfer mechanism"


def _without_adequacy(
    countries: Sequence[str], adequacy: Mapping[str, Sequence[AdequacyFacts]], today: date
) -> list[str]:
    return [
        country
        for country in countries
        if not any(decision.in_force_on(today) for decision in adequacy.get(country, ()))
    ]


def _adequacy_problem(
    countries: tuple[str, ...], adequacy: Mapping[str, Sequence[AdequacyFacts]], today: date
) -> str | None:
    others = [country for country in countries if country != DPF_COUNTRY]
    problems = []
    missing = _without_adequacy(others, adequacy, today)
    if missing:
        problems.append(f"no adequacy decision in force for {', '.join(missing)}")
    if DPF_COUNTRY in countries:
        problems.append("the US is covered only through the Data Privacy Framework, "
                        "a transfer mechanism of its own")
    return "; ".join(problems) or None


def _dpf_problem(
    countries: tuple[str, ...], adequacy: Mapping[str, Sequence[AdequacyFacts]], today: date
) -> str | None:
    others = [country for country in countries if country != DPF_COUNTRY]
    missing = _without_adequacy(others, adequacy, today)
    if not missing:
        return None
    return (
        "the Data Privacy Framework covers only the US, and "
        f"{', '.join(missing)} has no adequacy decision in force"
    )
