"""Every list and detail page runs as many SQL queries at 1,000 rows as at 10."""

from bench.harness import counting_queries
from registry import checks
from registry.extensions import database
from registry.models import (
    Attestation,
    Controller,
    Engagement,
    FlowDownAgreement,
    Requirement,
    RequirementOption,
    Subcontractor,
)
from tests.registry_factories import make_attestation_type, make_requirement
from tests.subcontractors.helpers import signed_in, today


def _bulk(model, rows):
    with database.atomic():
        for start in range(0, len(rows), 200):
            model.insert_many(rows[start:start + 200]).execute()


def populate(size):
    """Insert `size` subcontractors, engagements and pending attestations in bulk."""
    make_requirement()
    kind = make_attestation_type()
    _bulk(Controller, [{"key": f"c{n}", "name": f"Controller {n}", "privacy_contacts": [
        f"p@c{n}.example"]} for n in range(10)])
    controllers = [c.id for c in Controller.select(Controller.id)]
    _bulk(Subcontractor, [{"key": f"s{n}", "name": f"Vendor {n:04d} Oy", "risk_tier": "low",
                           "status": "active", "processing_countries": ["FI", "US"],
                           "contacts": [f"sec@s{n}.example"]} for n in range(size)])
    vendors = [s.id for s in Subcontractor.select(Subcontractor.id).order_by(Subcontractor.id)]
    _bulk(FlowDownAgreement, [{"subcontractor": s, "signed_on": today()} for s in vendors])
    _bulk(Engagement, [{"subcontractor": vendors[0] if n % 2 else vendors[n % len(vendors)],
                        "controller": controllers[n % len(controllers)],
                        "on_list_at_signing": n % 3 == 0, "notified_on": today()}
                       for n in range(size)])
    _bulk(Attestation, [{"subcontractor": vendors[n % len(vendors)], "attestation_type": kind.id,
                         "issued_on": today(), "review": "pending" if n % 2 else "accepted"}
                        for n in range(size)])
    return vendors[0], Engagement.select(Engagement.id).order_by(Engagement.id).first().id


PAGES = [
    "/subcontractors",
    "/subcontractors?sort=worst&direction=desc&worst=red&q=oy&page=2",
    "/subcontractors/export.csv?tier=low",
    "/subcontractors/{subcontractor}",
    "/engagements?status=all",
    "/engagements/{engagement}",
    "/review",
]


def _queries(client, url, cold):
    client.get(url)  # the first request after a change may also write the session
    if cold:
        checks.forget_snapshot()
    with counting_queries() as counter:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return counter.count


def _measure(client, size):
    subcontractor, engagement = populate(size)
    measured = {}
    for page in PAGES:
        url = page.format(subcontractor=subcontractor, engagement=engagement)
        measured[page] = (_queries(client, url, cold=True), _queries(client, url, cold=False))
    return measured


def test_query_count_does_not_grow_with_the_data(app, client):
    signed_in(client)
    small = _measure(client, 10)
    for model in (Attestation, Engagement, FlowDownAgreement, RequirementOption, Requirement,
                  Controller):
        model.delete().execute()
    Subcontractor.delete().where(Subcontractor.key.startswith("s")).execute()
    large = _measure(client, 1000)
    assert large == small, f"queries (cold, warm) at 10 rows: {small}; at 1,000: {large}"
