"""Sub-processor chains on the subcontractor pages: the "Engaged by" choice, its refusals, the
parent and children on the detail page, "via" on the list, audit and history.

GDPR Art. 28(2) and (4): a sub-processor engaged by another one needs the authorisation of
every controller whose data its parent processes.
"""

import csv
import json
from datetime import timedelta

import pytest

from registry import checks
from registry.clock import local_today
from registry.findings_links import finding_url
from registry.models import AuditEvent, Subcontractor, SubcontractorHistory
from registry.subcontractors import operations
from tests.registry_factories import (
    make_attestation,
    make_dpa,
    make_engagement,
    make_requirement,
    make_subcontractor,
)
from tests.subcontractors.helpers import form_post, signed_in, text
from tests.subcontractors.test_views import VALID

CHAIN = "engagement_chain_unauthorised"


def _edit(client, subcontractor, **changes):
    url = f"/subcontractors/{subcontractor.id}/edit"
    data = dict(VALID, name=subcontractor.name, status=subcontractor.status,
                row_version=str(subcontractor.row_version), **changes)
    return form_post(client, url, data)


def _codes(today=None):
    return {finding.code for finding in checks.run_check(today=today).findings}


def test_a_new_subcontractor_can_be_engaged_by_another(client):
    user = signed_in(client)
    parent = make_subcontractor(name="Pilvipalvelu Oy")
    response = form_post(client, "/subcontractors/new",
                         dict(VALID, name="Varmuuskopio Oy", parent=str(parent.id)))
    assert response.status_code == 302
    child = Subcontractor.get(Subcontractor.name == "Varmuuskopio Oy")
    assert child.parent_id == parent.id
    event = AuditEvent.get(AuditEvent.action == "subcontractor.created")
    assert json.loads(event.details)["after"]["parent"] == parent.id
    assert event.actor_id == user.id


def test_the_form_offers_no_offboarded_parent_nor_itself_nor_its_children(client):
    signed_in(client)
    parent = make_subcontractor(name="Pilvipalvelu Oy")
    child = make_subcontractor(name="Varmuuskopio Oy", parent=parent)
    make_subcontractor(name="Vanha Hosting Oy", status="offboarded")
    page = text(client.get(f"/subcontractors/{parent.id}/edit"))
    options = page[page.index('id="parent"'):page.index("</select>", page.index('id="parent"'))]
    assert "Nobody: engaged directly by us" in options
    assert "Vanha Hosting Oy" not in options
    assert "Pilvipalvelu Oy" not in options and child.name not in options
    child_page = text(client.get(f"/subcontractors/{child.id}/edit"))
    assert f'<option selected value="{parent.id}">Pilvipalvelu Oy</option>' in child_page


@pytest.mark.parametrize(("chosen", "message"), [
    ("self", "A sub-processor cannot be engaged by itself."),
    ("grandchild", "That would make a loop: Pilvipalvelu Oy → Tape Oy → Varmuuskopio Oy → "
                   "Pilvipalvelu Oy (each engaged by the next)"),
    ("offboarded", "Vanha Hosting Oy was offboarded: it can no longer engage sub-processors."),
    ("999999", "Choose a sub-processor from the list."),
])
def test_the_form_refuses_a_loop_an_offboarded_parent_or_an_unknown_one(client, chosen,
                                                                        message):
    signed_in(client)
    parent = make_subcontractor(name="Pilvipalvelu Oy")
    child = make_subcontractor(name="Varmuuskopio Oy", parent=parent)
    grandchild = make_subcontractor(name="Tape Oy", parent=child)
    offboarded = make_subcontractor(name="Vanha Hosting Oy", status="offboarded")
    ids = {"self": parent.id, "grandchild": grandchild.id, "offboarded": offboarded.id}
    response = _edit(client, parent, parent=str(ids.get(chosen, chosen)))
    assert response.status_code == 400
    page = text(response)
    assert message in page and 'aria-invalid="true"' in page
    assert Subcontractor.get_by_id(parent.id).parent_id is None


def test_an_offboarded_parent_already_on_record_may_stay(client):
    signed_in(client)
    parent = make_subcontractor(name="Vanha Hosting Oy")
    child = make_subcontractor(name="Varmuuskopio Oy", parent=parent)
    operations.offboard_subcontractor(parent, local_today(), actor=None)
    response = _edit(client, child, parent=str(parent.id), purpose="Backups, encrypted")
    assert response.status_code == 302
    assert Subcontractor.get_by_id(child.id).parent_id == parent.id


def test_the_operation_checks_the_chain_again_inside_its_transaction(app):
    parent = make_subcontractor(name="Pilvipalvelu Oy")
    child = make_subcontractor(name="Varmuuskopio Oy", parent=parent)
    # A form opened before the child was linked would have offered it as the parent's parent.
    with pytest.raises(operations.SubcontractorError, match="would make a loop"):
        operations.update_subcontractor(parent, {"parent": child.id}, actor=None)
    assert Subcontractor.get_by_id(parent.id).parent_id is None


def test_the_detail_page_shows_the_parent_and_the_children(client):
    signed_in(client)
    parent = make_subcontractor(name="Pilvipalvelu Oy")
    child = make_subcontractor(name="Varmuuskopio Oy", parent=parent, country="US",
                               processing_countries=["US"], transfer_mechanism="scc_2021_m3")
    parent_page = text(client.get(f"/subcontractors/{parent.id}"))
    section = parent_page[parent_page.index('id="sub-processors"'):]
    assert "Its own sub-processors <span class=\"muted\">(1)</span>" in parent_page
    assert "Varmuuskopio Oy" in section and "US" in section
    assert "SCC 2021, module 3 (processor to processor)" in section
    child_page = text(client.get(f"/subcontractors/{child.id}"))
    assert (f'<dt>Engaged by</dt><dd><a href="/subcontractors/{parent.id}">Pilvipalvelu Oy</a>'
            in child_page)
    assert "tier 2" in child_page


def test_the_list_shows_whom_a_sub_processor_works_through(client):
    signed_in(client)
    parent = make_subcontractor(name="Pilvipalvelu Oy")
    make_subcontractor(name="Varmuuskopio Oy", parent=parent)
    page = text(client.get("/subcontractors"))
    row = page[page.index("Varmuuskopio Oy"):]
    assert "via Pilvipalvelu Oy" in row[:row.index("</td>")]
    parent_row = page[page.index(">Pilvipalvelu Oy<"):]
    assert "via" not in parent_row[:parent_row.index("</td>")]


def test_an_unauthorised_child_shows_on_its_page_and_the_controllers(client):
    signed_in(client)
    make_requirement()
    controller = make_dpa().controller
    parent = make_subcontractor(name="Pilvipalvelu Oy")
    make_attestation(parent)
    make_engagement(parent, controller)
    child = make_subcontractor(name="Varmuuskopio Oy", parent=parent)
    make_attestation(child)
    message = (f"Varmuuskopio Oy processes {controller.name}&#39;s data through Pilvipalvelu "
               f"Oy, but {controller.name} has not authorised it (Art. 28(2))")
    assert message in text(client.get(f"/subcontractors/{child.id}"))
    assert message in text(client.get(f"/controllers/{controller.id}"))
    make_engagement(child, controller)
    assert message not in text(client.get(f"/subcontractors/{child.id}"))


def test_a_parent_linked_today_was_not_owed_yesterday(app, clock):
    # Dated like tier and locations: `check --today D` reads the parent of D.
    make_requirement()
    controller = make_dpa().controller
    parent = make_subcontractor(name="Pilvipalvelu Oy")
    make_attestation(parent)
    make_engagement(parent, controller)
    child = make_subcontractor(name="Varmuuskopio Oy")
    make_attestation(child)
    yesterday = local_today() - timedelta(days=1)

    operations.update_subcontractor(child, {"parent": parent.id}, actor=None)

    assert CHAIN in _codes(local_today())
    assert CHAIN not in _codes(yesterday)
    kept = SubcontractorHistory.get()
    assert (kept.valid_until, kept.parent_id) == (yesterday, None)


def test_the_finding_links_to_engaging_the_child(app):
    controller = make_dpa().controller
    parent = make_subcontractor(name="Pilvipalvelu Oy")
    make_engagement(parent, controller)
    child = make_subcontractor(name="Varmuuskopio Oy", parent=parent)
    finding = next(finding for finding in checks.current_snapshot().assessment.findings
                   if finding.code == CHAIN)
    with app.test_request_context():
        assert finding_url(finding, role="legal") == f"/engagements/new/{child.id}"
        assert finding_url(finding, role="auditor") == f"/subcontractors/{child.id}"


def test_the_csv_export_says_who_engages_each_sub_processor(client):
    signed_in(client)
    parent = make_subcontractor(name="Pilvipalvelu Oy")
    make_subcontractor(name="Varmuuskopio Oy", parent=parent)
    lines = text(client.get("/subcontractors/export.csv")).lstrip("\ufeff").splitlines()
    rows = {row[0]: row for row in csv.reader(lines[1:])}
    header = next(csv.reader(lines[:1]))
    column = header.index("Engaged by")
    assert rows["Varmuuskopio Oy"][column] == "Pilvipalvelu Oy"
    assert rows["Pilvipalvelu Oy"][column] == ""
