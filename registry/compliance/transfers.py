"""Rules for transfers of personal data outside the EEA (GDPR Chapter V)."""

from collections.abc import Mapping, Sequence
from datetime import date

from registry.compliance.facts import AdequacyFacts, SubcontractorFacts
from registry.compliance.findings import Finding, make_finding
from registry.compliance.messages import Phrase, Words, say

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
    where = Words(countries)
    mechanism = subcontractor.transfer_mechanism
    if mechanism is None:
        message = say("transfer_mechanism_missing", subcontractor=subcontractor.name,
                      countries=where)
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
        say("transfer_mechanism_invalid", subcontractor=subcontractor.name, countries=where,
            problem=problem),
        subcontractor_id=subcontractor.id,
    )


def _mechanism_problem(
    subcontractor: SubcontractorFacts,
    countries: tuple[str, ...],
    adequacy: Mapping[str, Sequence[AdequacyFacts]],
    today: date,
    dpf_certified: bool,
) -> Phrase | Words | None:
    mechanism = subcontractor.transfer_mechanism
    if mechanism == "bcr":
        return None
    if mechanism == "scc_2010":
        return say("transfer_scc_2010")
    if mechanism == "scc_2021_m2":
        # The registry's subcontractors are sub-processors: processor to processor is module 3.
        return say("transfer_scc_module_2")
    if mechanism == "scc_2021_m3":
        if subcontractor.tia_on is None or subcontractor.tia_on > today:
            return say("transfer_tia_missing")
        return None
    if mechanism == "adequacy":
        return _adequacy_problem(countries, adequacy, today)
    if mechanism == "dpf":
        if DPF_COUNTRY in countries and not dpf_certified:
            return say("transfer_dpf_uncertified")
        return _dpf_problem(countries, adequacy, today)
    return say("transfer_unknown_mechanism", mechanism=repr(mechanism))


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
) -> Words | None:
    others = [country for country in countries if country != DPF_COUNTRY]
    problems = []
    missing = _without_adequacy(others, adequacy, today)
    if missing:
        problems.append(say("transfer_no_adequacy", countries=Words(tuple(missing))))
    if DPF_COUNTRY in countries:
        problems.append(say("transfer_us_only_dpf"))
    return Words(tuple(problems), "; ") if problems else None


def _dpf_problem(
    countries: tuple[str, ...], adequacy: Mapping[str, Sequence[AdequacyFacts]], today: date
) -> Phrase | None:
    others = [country for country in countries if country != DPF_COUNTRY]
    missing = _without_adequacy(others, adequacy, today)
    if not missing:
        return None
    return say("transfer_dpf_only_us", countries=Words(tuple(missing)))
