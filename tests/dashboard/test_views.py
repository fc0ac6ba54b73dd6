"""The dashboard: counts by area, red first with fix links, filters, timeline, failed alerts."""

import re
from datetime import timedelta

import pytest

from registry.clock import local_today
from registry.models import Alert
from tests.controllers.helpers import signed_in, text
from tests.registry_factories import (
    make_attestation,
    make_controller,
    make_dpa,
    make_engagement,
    make_instruction,
    make_requirement,
    make_subcontractor,
)


def _registry():
    """One red controller, one amber DPA, one green controller, a subcontractor lapsing soon."""
    today = local_today()
    red = make_controller(name="Punainen Oy")
    amber = make_dpa(controller=make_controller(name="Keltainen Oy"),
                     expires_on=today + timedelta(days=20)).controller
    green = make_dpa(controller=make_controller(name="Vihreä Oy")).controller
    make_requirement()
    supplier = make_subcontractor(name="Pilvi Oy")
    make_attestation(subcontractor=supplier, issued_on=today - timedelta(days=330))
    make_engagement(subcontractor=supplier, controller=green)
    return red, amber, green, supplier


def _counts(page, area):
    row = page[page.index(f">{area}</th>"):]
    row = row[:row.index("</tr>")]
    return re.findall(r'counts__cell[^"]*">(?:<a [^>]*>)?(\d+)', row)


def test_dashboard_counts_by_area_and_lists_red_before_amber_with_fix_links(app, client):
    red, amber, green, supplier = _registry()
    signed_in(client)
    page = text(client.get("/dashboard"))
    assert "Punainen Oy has no signed DPA in force" in page
    assert page.index("Punainen Oy has no signed DPA") < page.index("Keltainen Oy expires on")
    assert f'href="/controllers/{red.id}#dpa"' in page
    assert _counts(page, "DPAs") == ["1", "1", "1"]  # red, amber, green
    assert _counts(page, "Subcontractors and their evidence") == ["0", "1", "0"]
    assert _counts(page, "Engagements") == ["0", "0", "1"]


def test_dashboard_filters_by_controller_subcontractor_and_severity(app, client):
    red, amber, green, supplier = _registry()
    signed_in(client)
    only_red = text(client.get("/dashboard?severity=red"))
    assert "Punainen Oy" in only_red and "Keltainen Oy expires on" not in only_red
    by_controller = text(client.get("/dashboard?controller=keltainen"))
    assert "Keltainen Oy expires on" in by_controller and "Punainen Oy has" not in by_controller
    by_id = text(client.get(f"/dashboard?controller={red.id}"))
    assert "Punainen Oy has" in by_id and "Keltainen" not in by_id
    by_supplier = text(client.get("/dashboard?subcontractor=pilvi"))
    assert "of Pilvi Oy expires on" in by_supplier
    assert "Punainen Oy has" not in by_supplier
    none = text(client.get("/dashboard?controller=nobody"))
    assert "Nothing matches these filters" in none


def test_timeline_draws_the_next_twelve_months_with_a_table(app, client):
    _registry()
    signed_in(client)
    page = text(client.get("/dashboard"))
    assert '<svg class="timeline__chart"' in page and 'role="img"' in page
    assert page.count('class="timeline__label"') == 12
    assert 'timeline__bar timeline__bar--dpa_expiry' in page
    assert 'timeline__bar timeline__bar--attestation' in page
    assert "Show the timeline as a table" in page
    assert local_today().strftime("%Y-%m") in page
    assert "DPA v1 with Keltainen Oy expires" in page
    assert "Pilvi Oy: low questionnaire" in page


def test_everything_in_order_says_so(app, client):
    make_dpa()
    signed_in(client)
    assert "Nothing needs attention today" in text(client.get("/dashboard"))


def test_an_empty_registry_tells_legal_staff_where_to_start(app, client):
    signed_in(client)
    page = text(client.get("/dashboard"))
    assert "The registry is empty." in page and "/controllers/new" in page


def test_only_admins_see_the_failed_alerts_notice(app, client):
    make_dpa()
    Alert.create(key="legal|dpa:1|expiry|x|30", subject_type="dpa", subject_id=1,
                 kind="expiry", status="failed", recipients=["legal@example.com"])
    signed_in(client, "admin")
    assert "1 alert e-mail could not be delivered" in text(client.get("/dashboard"))
    legal = app.test_client()
    signed_in(legal)
    assert "could not be delivered" not in text(legal.get("/dashboard"))


@pytest.mark.parametrize("role", ["admin", "legal", "auditor"])
def test_readers_open_the_dashboard(app, client, role):
    make_controller()
    signed_in(client, role)
    assert client.get("/dashboard").status_code == 200


def test_subcontractor_users_are_refused(app, client):
    signed_in(client, "subcontractor")
    assert client.get("/dashboard").status_code == 403


def test_finding_links_respect_the_role(app, client):
    instruction = make_instruction(received_on=local_today() - timedelta(days=20),
                                   acknowledged_on=None)
    make_dpa(controller=instruction.controller)
    signed_in(client, "auditor")
    page = text(client.get("/dashboard"))
    assert f'href="/instructions/{instruction.id}"' in page


@pytest.mark.parametrize(("role", "label", "other"), [
    ("legal", ">Fix<", ">Open<"), ("admin", ">Fix<", ">Open<"), ("auditor", ">Open<", ">Fix<")])
def test_finding_links_say_fix_to_staff_and_open_to_auditors(app, client, role, label, other):
    red = make_controller(name="Punainen Oy")
    signed_in(client, role)
    for url in ("/dashboard", f"/controllers/{red.id}"):
        page = text(client.get(url))
        assert label in page and other not in page, url
