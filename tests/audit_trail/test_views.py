"""The audit trail page: who changed what, before and after, with filters and pagination."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from registry import audit
from tests.controllers.helpers import signed_in, submit, text
from tests.registry_factories import make_controller

EDIT = {"name": "Uusi Nimi Oy", "country": "FI", "business_id": "1572860-0",
        "privacy_contacts": "dpo@uusi.example", "services": "", "ordered_via": "",
        "status": "active", "ended_on": "", "notes": ""}


def _event(action, when, actor="legal@example.com", object_type="controller"):
    """Record an event at `when` (naive UTC): the log takes no later edits."""
    with time_machine.travel(when.replace(tzinfo=UTC), tick=False):
        return audit.record(action, (object_type, "1"), f"{action} happened", actor=actor)


def test_a_change_shows_who_when_and_the_values_before_and_after(app, client):
    controller = make_controller(name="Vanha Nimi Oy")
    user = signed_in(client)
    submit(client, f"/controllers/{controller.id}/edit", EDIT)
    auditor = app.test_client()
    signed_in(auditor, "auditor")
    page = text(auditor.get("/audit?action=controller.updated"))
    assert "controller.updated" in page and user.email in page
    assert "<del>Vanha Nimi Oy</del>" in page and "<ins>Uusi Nimi Oy</ins>" in page
    assert f'href="/controllers/{controller.id}"' in page
    assert "Signed in<" not in page


def test_filters_by_object_actor_and_local_days(app, client):
    _event("dpa.signed", datetime(2026, 3, 1, 10, 0), actor="anna@example.com",
           object_type="dpa")
    _event("controller.created", datetime(2026, 3, 10, 10, 0), actor="ben@example.com")
    _event("controller.updated", datetime(2026, 3, 20, 22, 30), actor="anna@example.com")
    signed_in(client, "admin")
    by_object = text(client.get("/audit?object_type=dpa"))
    assert "dpa.signed happened" in by_object and "controller.created happened" not in by_object
    by_actor = text(client.get("/audit?actor=ANNA"))
    assert "dpa.signed happened" in by_actor and "controller.updated happened" in by_actor
    assert "ben@example.com" not in by_actor
    # 22:30 UTC on 20 March is already 21 March in Helsinki (UTC+2).
    ranged = text(client.get("/audit?since=2026-03-05&until=2026-03-20"))
    assert "controller.created happened" in ranged
    assert "controller.updated happened" not in ranged and "dpa.signed happened" not in ranged


def test_a_range_that_ends_before_it_starts_is_explained(app, client):
    signed_in(client, "auditor")
    response = client.get("/audit?since=2026-03-05&until=2026-03-01")
    assert response.status_code == 400
    assert "The end date comes before the start date." in text(response)


def test_events_are_paginated_newest_first(app, client):
    start = datetime(2026, 1, 1, 12, 0)
    for number in range(60):
        _event(f"test.event{number:02d}", start + timedelta(minutes=number))
    signed_in(client, "auditor")
    first = text(client.get("/audit?actor=legal@example.com"))
    assert "Page 1 of 2" in first
    assert first.index("test.event59 happened") < first.index("test.event50 happened")
    assert "test.event05 happened" not in first
    second = text(client.get("/audit?actor=legal@example.com&page=2"))
    assert "test.event05 happened" in second


def test_no_match_says_so(app, client):
    signed_in(client, "auditor")
    assert "No event matches these filters." in text(client.get("/audit?actor=nobody"))


@pytest.mark.parametrize(("role", "status"), [("admin", 200), ("auditor", 200), ("legal", 200),
                                              ("subcontractor", 403)])
def test_who_may_read_the_audit_trail(app, client, role, status):
    signed_in(client, role)
    assert client.get("/audit").status_code == status


def test_nested_details_read_as_labelled_values_not_json(app, client):
    audit.record("registry.import", ("registry", "import"), "Imported a document",
                 details={"counts": {"controllers": {"created": 14, "updated": 2}}},
                 actor="system")
    signed_in(client, "auditor")
    page = text(client.get("/audit?action=registry.import"))
    assert '<span class="audit__key">controllers</span>' in page
    assert '<span class="audit__key">created</span> 14' in page
    assert "{&#34;" not in page and '{"' not in page
