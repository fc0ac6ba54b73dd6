"""What the subcontractor detail page shows, read in a fixed number of queries."""

from dataclasses import dataclass

from flask import current_app
from peewee import JOIN, Case, fn

from registry.attestations.validity import row_counts_until
from registry.compliance import CLAUSE_KEYS, TRANSFER_MECHANISMS
from registry.findings_links import finding_url
from registry.labels import clause_label
from registry.models import (
    Attestation,
    AttestationType,
    Controller,
    Document,
    Engagement,
    FlowDownAgreement,
    User,
)
from registry.subcontractors.countries import outside_eea
from registry.subcontractors.queries import ChainLinks, children_of, worst_finding

ENGAGEMENTS_PAGE_SIZE = 25
INVITE_ENDPOINT = "portal_invitations.invite_user"


@dataclass(frozen=True)
class MatrixRow:
    """One requirement group of the subcontractor's tier, and the attestation that meets it."""

    label: str
    state: str
    valid_until: object
    attestation: object


@dataclass(frozen=True)
class ClauseRow:
    """One Art. 28(3) clause of a flow-down agreement and whether it is there."""

    letter: str
    label: str
    present: bool


def attestations_of(subcontractor):
    """Return the subcontractor's attestations with type, document, uploader and reviewer."""
    uploader, reviewer = User.alias(), User.alias()
    query = (Attestation
             .select(Attestation, AttestationType, Document, uploader, reviewer)
             .join(AttestationType)
             .switch(Attestation).join(Document, JOIN.LEFT_OUTER)
             .switch(Attestation).join(uploader, JOIN.LEFT_OUTER,
                                       on=Attestation.uploaded_by == uploader.id)
             .switch(Attestation).join(reviewer, JOIN.LEFT_OUTER,
                                       on=Attestation.reviewed_by == reviewer.id)
             .where(Attestation.subcontractor == subcontractor)
             .order_by(Attestation.created_at.desc(), Attestation.id.desc()))
    attestations = list(query)
    for attestation in attestations:
        attestation.counts_until = row_counts_until(attestation)
    return attestations


def flow_down_agreements(subcontractor):
    """Return the subcontractor's flow-down agreements with their documents, newest first."""
    return list(FlowDownAgreement
                .select(FlowDownAgreement, Document)
                .join(Document, JOIN.LEFT_OUTER)
                .where(FlowDownAgreement.subcontractor == subcontractor)
                .order_by(FlowDownAgreement.signed_on.desc(), FlowDownAgreement.id.desc()))


def current_agreement(agreements):
    """Return the latest signed agreement that has not ended, from `agreements`, or None."""
    return next((agreement for agreement in agreements
                 if agreement.signed_on and agreement.terminated_on is None), None)


def clause_rows(agreement):
    """Return the clause checklist (a)-(h) of an agreement."""
    clauses = agreement.clauses
    return [ClauseRow(key.letter, clause_label(key), bool(clauses[key])) for key in CLAUSE_KEYS]


def matrix_rows(assessment, subcontractor, attestations):
    """Return the requirements matrix: each group of the tier, what meets it, until when."""
    by_id = {attestation.id: attestation for attestation in attestations}
    return [
        MatrixRow(status.label, status.state, status.valid_until,
                  by_id.get(status.satisfied_by))
        for status in assessment.requirement_matrix.get(subcontractor.id, ())
    ]


def engagements_page(subcontractor, page):
    """Return (engagements with controllers, total, page, pages) for the detail page."""
    query = (Engagement
             .select(Engagement, Controller)
             .join(Controller, JOIN.LEFT_OUTER)
             .where(Engagement.subcontractor == subcontractor))
    total = query.count()
    pages = max((total + ENGAGEMENTS_PAGE_SIZE - 1) // ENGAGEMENTS_PAGE_SIZE, 1)
    page = min(max(page, 1), pages)
    rows = list(query
                .order_by(Engagement.withdrawn_on.is_null(False), Controller.name.is_null(False),
                          Controller.name, Engagement.id)
                .paginate(page, ENGAGEMENTS_PAGE_SIZE))
    return rows, total, page, pages


def engagement_counts(subcontractor):
    """Return (engagements not withdrawn, of those the ones awaiting their first notice)."""
    awaiting = Case(None, [(Engagement.notified_on.is_null()
                            & Engagement.approved_on.is_null()
                            & ~Engagement.on_list_at_signing, 1)], 0)
    return (Engagement
            .select(fn.COUNT(Engagement.id), fn.COALESCE(fn.SUM(awaiting), 0))
            .where((Engagement.subcontractor == subcontractor)
                   & Engagement.withdrawn_on.is_null())
            .tuples()
            .get())


def chain_context(subcontractor, assessment):
    """Return who engages the subcontractor (its chain, nearest first) and whom it engages."""
    links = ChainLinks.load()
    chain = [(id_, links.names[id_]) for id_ in links.ancestors(subcontractor.id)]
    children = children_of(subcontractor)
    return {
        "chain": chain,
        "children": [(child, worst_finding(assessment, child.id)) for child in children],
    }


def portal_users(subcontractor):
    """Return the subcontractor's portal accounts."""
    return list(User.select().where(User.subcontractor == subcontractor).order_by(User.email))


def detail_context(subcontractor, assessment, engagement_page=1):
    """Return everything the detail template needs."""
    attestations = attestations_of(subcontractor)
    agreements = flow_down_agreements(subcontractor)
    current = current_agreement(agreements)
    engagements, total, page, pages = engagements_page(subcontractor, engagement_page)
    open_count, unnotified_count = engagement_counts(subcontractor)
    return {
        "subcontractor": subcontractor,
        "severity": worst_finding(assessment, subcontractor.id),
        "findings": assessment.findings_for_subcontractor(subcontractor.id),
        "matrix": matrix_rows(assessment, subcontractor, attestations),
        "attestations": attestations,
        "agreements": agreements,
        "agreement": current,
        "clauses": clause_rows(current) if current else [],
        "outside_eea": outside_eea(
            list(dict.fromkeys([subcontractor.country, *subcontractor.processing_countries]))),
        "engagements": engagements,
        "engagement_statuses": assessment.engagement_status,
        "engagement_total": total,
        "engagement_page": page,
        "engagement_pages": pages,
        "engagement_open_count": open_count,
        "unnotified_count": unnotified_count,
        "users": portal_users(subcontractor),
        **chain_context(subcontractor, assessment),
        "invite_endpoint": (INVITE_ENDPOINT if INVITE_ENDPOINT in current_app.view_functions
                            else None),
        "transfer_label": lambda code: TRANSFER_MECHANISMS.get(code, code),
        "finding_link": finding_url,
        "today": assessment.today,
    }
