"""Reads of the reference-data pages: types, requirement groups by tier, adequacy decisions."""

from dataclasses import dataclass

from flask import abort
from flask_babel import lazy_gettext as _l
from peewee import fn

from registry.compliance.dates import add_months
from registry.compliance.transfers import DPF_COUNTRY
from registry.models import (
    AdequacyDecision,
    AttestationType,
    Requirement,
    RequirementOption,
    Subcontractor,
)
from registry.subcontractors.countries import country_label, country_names

LAPSE_WARNING_MONTHS = 12
SECTIONS = (
    ("low", _l("Low risk"), _l("Required of every low-risk subcontractor.")),
    ("medium", _l("Medium risk"), _l("Required of every medium-risk subcontractor.")),
    ("high", _l("High risk"), _l("Required of every high-risk subcontractor.")),
    ("card_data", _l("Card data"), _l("Required of every subcontractor that handles card data, "
                                      "whatever its tier.")),
)
RELYING_MECHANISMS = ("adequacy", "dpf")


def get_or_404(model, row_id):
    """Return the `model` row with this id or answer 404."""
    row = model.get_or_none(model.id == row_id)
    if row is None:
        abort(404)
    return row


def attestation_types():
    """Return every attestation type, by name."""
    return list(AttestationType.select().order_by(AttestationType.name))


@dataclass(frozen=True)
class Group:
    """A requirement group with its acceptable types (AttestationType rows, by name)."""

    requirement: Requirement
    kinds: tuple

    @property
    def section(self):
        """Return the title of the group's section ("High risk", "Card data" ...)."""
        return section_title(self.requirement)


@dataclass(frozen=True)
class Section:
    """The groups in force for one tier or for card data, and whom they apply to today."""

    key: str
    title: str
    description: str
    groups: tuple
    subcontractor_count: int


def _section_key(requirement):
    return "card_data" if requirement.applies_to_card_data else requirement.tier


def _groups(query):
    requirements = list(query.order_by(Requirement.label, Requirement.key))
    kinds = {}
    options = (
        RequirementOption.select(RequirementOption.requirement, AttestationType)
        .join(AttestationType)
        .where(RequirementOption.requirement.in_([row.id for row in requirements]))
        .order_by(AttestationType.name)
    )
    for option in options:
        kinds.setdefault(option.requirement_id, []).append(option.attestation_type)
    return [Group(row, tuple(kinds.get(row.id, ()))) for row in requirements]


def _subcontractor_counts():
    """Return {section key: number of subcontractors not offboarded it applies to}."""
    current = Subcontractor.status != "offboarded"
    counts = dict(
        Subcontractor.select(Subcontractor.risk_tier, fn.COUNT(Subcontractor.id))
        .where(current)
        .group_by(Subcontractor.risk_tier)
        .tuples()
    )
    counts["card_data"] = (Subcontractor.select()
                           .where(current & Subcontractor.handles_card_data)
                           .count())
    return counts


def requirement_sections():
    """Return the groups in force per tier (low, medium, high) and for card data."""
    groups = _groups(Requirement.select().where(Requirement.retired_on.is_null()))
    counts = _subcontractor_counts()
    return [
        Section(key, title, description,
                tuple(group for group in groups if _section_key(group.requirement) == key),
                counts.get(key, 0))
        for key, title, description in SECTIONS
    ]


def retired_groups():
    """Return the retired requirement groups, kept for history."""
    return _groups(Requirement.select().where(Requirement.retired_on.is_null(False)))


def section_title(requirement):
    """Return the title of the section a requirement group belongs to."""
    key = _section_key(requirement)
    return next(title for section, title, _ in SECTIONS if section == key)


def subcontractors_owing(requirement):
    """Return how many subcontractors (not offboarded) a group applies to."""
    return _subcontractor_counts().get(_section_key(requirement), 0)


def option_type_ids(requirement):
    """Return the ids of a group's acceptable types."""
    return [type_id for (type_id,) in RequirementOption.select(RequirementOption.attestation_type)
            .where(RequirementOption.requirement == requirement).tuples()]


@dataclass(frozen=True)
class DecisionRow:
    """An adequacy decision with its country's name and its state on a day."""

    decision: AdequacyDecision
    country: str
    state: str  # not_yet, in_force, lapsing, ended


def decision_state(decision, today):
    """Return not_yet, ended, lapsing (within 12 months) or in_force for `decision` on `today`."""
    if decision.decided_on > today:
        return "not_yet"
    if decision.valid_until is None:
        return "in_force"
    if decision.valid_until < today:
        return "ended"
    if decision.valid_until <= add_months(today, LAPSE_WARNING_MONTHS):
        return "lapsing"
    return "in_force"


def adequacy_rows(today):
    """Return every adequacy decision with its state, by country name, the latest first."""
    names = country_names()
    rows = [DecisionRow(decision, country_label(decision.country_code),
                        decision_state(decision, today))
            for decision in AdequacyDecision.select().order_by(
                AdequacyDecision.decided_on.desc())]
    return sorted(rows, key=lambda row: names.get(row.decision.country_code, row.country))


def relying_subcontractors(country_code):
    """Return the subcontractors (not offboarded) whose transfers to the country rest on it.

    As in the engine: the adequacy and DPF mechanisms need it for every country but the US,
    whose decision covers only DPF-certified organisations and is not checked per country.
    """
    if country_code == DPF_COUNTRY:
        return []
    candidates = (Subcontractor.select(Subcontractor.id, Subcontractor.name,
                                       Subcontractor.country, Subcontractor.processing_countries)
                  .where((Subcontractor.status != "offboarded")
                         & Subcontractor.transfer_mechanism.in_(RELYING_MECHANISMS))
                  .order_by(Subcontractor.name))
    return [row for row in candidates
            if country_code in {row.country, *row.processing_countries}]
