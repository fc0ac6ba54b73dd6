"""No lost updates: a stale form is refused, operations change only their own fields, and of
two acknowledgements of one instruction only the first is recorded."""

import re
import threading

from registry.clock import local_today
from registry.db import write_transaction
from registry.extensions import database
from registry.instructions import operations as instruction_operations
from registry.models import AuditEvent, Controller, Instruction, Subcontractor
from registry.subcontractors.operations import offboard_subcontractor
from tests.auth_helpers import csrf_token
from tests.controllers.helpers import signed_in, text
from tests.factories import make_user
from tests.registry_factories import make_controller, make_instruction, make_subcontractor

CONTROLLER_FORM = {"country": "FI", "business_id": "1572860-0",
                   "privacy_contacts": "tietosuoja@asiakas.example", "services": "",
                   "ordered_via": "", "status": "active", "ended_on": "", "notes": ""}
SUBCONTRACTOR_FORM = {
    "country": "FI", "business_id": "1572860-0", "website": "https://pilvi.example",
    "purpose": "Hosting", "data_categories": "names", "processing_countries": "FI",
    "transfer_mechanism": "", "tia_on": "", "risk_tier": "medium", "status": "active",
    "contacts": "security@pilvi.example", "breach_notice_hours": "24",
}
WAIT = 30


def _open_form(client, url):
    """GET the form at `url`; return the hidden values a browser would send back."""
    page = text(client.get(url))
    return {"csrf_token": csrf_token(page),
            "row_version": re.search(r'name="row_version" value="(\d+)"', page).group(1)}


def test_an_edit_of_a_form_opened_before_someone_elses_save_is_refused(app, make_client):
    controller = make_controller(name="Asiakas Oy")
    first, second = make_client(), make_client()
    signed_in(first)
    signed_in(second)
    url = f"/controllers/{controller.id}/edit"
    first_form, second_form = _open_form(first, url), _open_form(second, url)
    saved = first.post(url, data=dict(CONTROLLER_FORM, name="First Oy", **first_form))
    assert saved.status_code == 302
    refused = second.post(url, data=dict(CONTROLLER_FORM, name="Second Oy", **second_form))
    assert refused.status_code == 409
    assert "changed by someone else since you opened the form" in text(refused)
    assert Controller.get_by_id(controller.id).name == "First Oy"
    assert AuditEvent.select().where(AuditEvent.action == "controller.updated").count() == 1
    again = second.post(url, data=dict(CONTROLLER_FORM, name="Second Oy",
                                       **_open_form(second, url)))
    assert again.status_code == 302
    assert Controller.get_by_id(controller.id).name == "Second Oy"


def test_offboarding_after_a_rename_keeps_the_new_name(app, make_client):
    subcontractor = make_subcontractor(name="Old Name Oy", status="active")
    editor, offboarder = make_client(), make_client()
    signed_in(editor)
    signed_in(offboarder)
    detail = f"/subcontractors/{subcontractor.id}"
    offboard_token = csrf_token(text(offboarder.get(detail)))  # the page opened before the rename
    edit = f"{detail}/edit"
    renamed = editor.post(edit, data=dict(SUBCONTRACTOR_FORM, name="New Name Oy",
                                          **_open_form(editor, edit)))
    assert renamed.status_code == 302
    offboarded = offboarder.post(f"{detail}/offboard", data={
        "offboarded_on": local_today().isoformat(), "csrf_token": offboard_token})
    assert offboarded.status_code == 302
    stored = Subcontractor.get_by_id(subcontractor.id)
    assert (stored.name, stored.status) == ("New Name Oy", "offboarded")


def test_a_second_acknowledgement_from_another_page_is_refused(app, make_client):
    instruction = make_instruction(acknowledged_on=None)
    first, second = make_client(), make_client()
    signed_in(first)
    signed_in(second)
    url = f"/instructions/{instruction.id}"
    tokens = [csrf_token(text(client.get(url))) for client in (first, second)]
    first.post(f"{url}/acknowledge", data={"csrf_token": tokens[0]})
    answer = second.post(f"{url}/acknowledge", data={"csrf_token": tokens[1]},
                         follow_redirects=True)
    assert "This instruction was acknowledged already." in text(answer)
    assert AuditEvent.select().where(
        AuditEvent.action == "instruction.acknowledged").count() == 1


def test_of_two_simultaneous_acknowledgements_exactly_one_is_recorded(app):
    instruction = make_instruction(acknowledged_on=None)
    people = [make_user("legal"), make_user("legal")]
    start, outcomes = threading.Barrier(2), []

    def acknowledge(person):
        with app.app_context():
            database.connect(reuse_if_open=True)
            stale_copy = Instruction.get_by_id(instruction.id)  # as a view would hold it
            start.wait(WAIT)
            try:
                instruction_operations.acknowledge(stale_copy, person)
                outcomes.append("recorded")
            except instruction_operations.InstructionStateError:
                outcomes.append("refused")
            finally:
                database.close()

    threads = [threading.Thread(target=acknowledge, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(WAIT)
    assert sorted(outcomes) == ["recorded", "refused"]
    assert AuditEvent.select().where(
        AuditEvent.action == "instruction.acknowledged").count() == 1


def test_an_operation_saves_only_the_fields_it_changes(app):
    subcontractor = make_subcontractor(name="Kept Oy", status="active")
    held_by_a_view = Subcontractor.get_by_id(subcontractor.id)
    with write_transaction():
        Subcontractor.update(name="Renamed Meanwhile Oy").where(
            Subcontractor.id == subcontractor.id).execute()
    offboard_subcontractor(held_by_a_view, local_today(), make_user("legal"))
    assert Subcontractor.get_by_id(subcontractor.id).name == "Renamed Meanwhile Oy"
