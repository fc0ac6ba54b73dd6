"""The legal staff's pages run the same number of SQL queries at 10 and at 1,000 controllers."""

from datetime import timedelta

from bench.harness import counting_queries
from registry import checks
from registry.clock import local_today, utc_now
from registry.db import write_transaction
from registry.models import CLAUSE_KEYS, Controller, Dpa, Engagement, Instruction
from tests.controllers.helpers import signed_in, submit
from tests.registry_factories import (
    make_attestation,
    make_engagement,
    make_requirement,
    make_subcontractor,
)

PAGES = ("/dashboard", "/dashboard?controller=asiakas&severity=red", "/controllers",
         "/controllers?sort=status&finding=dpa_missing", "/controllers/export.csv",
         "/controllers/1", "/dpas/1", "/instructions/1", "/audit")
CHUNK = 100


def _insert(model, rows):
    with write_transaction():
        for start in range(0, len(rows), CHUNK):
            model.insert_many(rows[start:start + CHUNK]).execute()


def _add_controllers(first, last, subcontractors):
    """Bulk-insert controllers `first`..`last`-1, each with a DPA, two instructions, engagements."""
    today = local_today()
    numbers = range(first, last)
    _insert(Controller, [{"key": f"c-{n}", "name": f"Asiakas {n} Oy", "country": "FI",
                          "business_id": "1572860-0", "privacy_contacts": [f"p@c{n}.example"],
                          "services": ["online store"]} for n in numbers])
    ids = dict(Controller.select(Controller.key, Controller.id).tuples())
    clauses = {f"clause_{key}": True for key in CLAUSE_KEYS}
    _insert(Dpa, [{"controller": ids[f"c-{n}"], "version": 1, "title": "DPA", "status": "signed"
                   if n % 7 else "draft", "signed_on": today - timedelta(days=100),
                   "effective_from": today - timedelta(days=100),
                   "expires_on": today + timedelta(days=n % 400), **clauses} for n in numbers])
    _insert(Instruction, [{"controller": ids[f"c-{n}"], "title": "Retention", "text": "Keep.",
                           "received_on": today - timedelta(days=n % 30), "version": 1,
                           "acknowledged_on": None if n % 3 else today} for n in numbers])
    _insert(Engagement, [{"controller": ids[f"c-{n}"], "subcontractor": sid,
                          "on_list_at_signing": n % 5 != 0,
                          "notified_on": today - timedelta(days=3)} for n in numbers
                         for sid in subcontractors[n % 2::2]])


def _counts(client):
    result = {}
    for page in PAGES:
        with counting_queries() as counter:
            response = client.get(page)
        assert response.status_code == 200, page
        result[page] = counter.count
    return result


def test_query_counts_do_not_grow_with_the_registry(app, client, time_machine):
    make_requirement()
    subcontractors = [make_subcontractor().id for _ in range(4)]
    for subcontractor in subcontractors[:2]:
        make_attestation(subcontractor=subcontractor)
    make_engagement(subcontractor=subcontractors[3])
    _add_controllers(0, 10, subcontractors)
    signed_in(client)
    submit(client, "/controllers/1/edit", {"name": "Asiakas 0 Oy", "country": "FI",
                                           "business_id": "1572860-0",
                                           "privacy_contacts": "dpo@c0.example",
                                           "status": "active"})
    # Stop the clock where it is: the day (and so the snapshot) cannot change between the
    # counts, and the session stays fresh whatever the time of day the suite runs at.
    time_machine.move_to(utc_now(), tick=False)
    client.get("/audit")  # settles the session (CSRF token)
    checks.forget_snapshot()  # the first count reads every table, as after a restart
    small = _counts(client), _counts(client)
    _add_controllers(10, 1000, subcontractors)
    assert Controller.select().count() == 1000
    checks.forget_snapshot()
    large = _counts(client), _counts(client)
    assert large == small
