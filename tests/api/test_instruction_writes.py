"""Instructions registered, versioned and acknowledged through the API as the web forms do."""

from registry.models import AuditEvent, Instruction
from tests.registry_factories import days, make_controller, make_dpa, make_instruction


def new_instruction(**changes):
    """Return the body of a new instruction received three days ago."""
    return {"title": "Retention", "text": "Keep orders for six years.", "source": "e-mail 12.3.",
            "received_on": str(days(-3)), **changes}


def test_an_instruction_is_registered_under_the_dpa_in_force(app, api, issue_token):
    controller = make_controller()
    dpa = make_dpa(controller)
    token, user = issue_token("legal", "write")
    response = api.post(f"/api/v1/controllers/{controller.id}/instructions", token=token,
                        json=new_instruction())
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert response.headers["Location"] == f"/api/v1/instructions/{body['id']}"
    assert body["dpa_id"] == dpa.id and body["version"] == 1
    assert body["acknowledged_on"] is None and body["document_id"] is None
    event = AuditEvent.get(AuditEvent.action == "instruction.registered")
    assert event.actor_id == user.id and event.object_id == str(body["id"])


def test_the_forms_rules_come_back_as_a_422(app, api, issue_token):
    controller = make_controller()
    token, _user = issue_token("legal", "write")
    url = f"/api/v1/controllers/{controller.id}/instructions"
    future = api.post(url, token=token, json=new_instruction(received_on=str(days(2))))
    assert future.status_code == 422 and "received_on" in future.get_json()["errors"]
    blank = api.post(url, token=token, json=new_instruction(text="   "))
    assert blank.status_code == 422 and "text" in blank.get_json()["errors"]
    assert api.post("/api/v1/controllers/999999/instructions", token=token,
                    json=new_instruction()).status_code == 404
    assert Instruction.select().count() == 0


def test_a_new_version_supersedes_only_the_latest(app, api, issue_token):
    first = make_instruction(source="DPA annex 2")
    token, _user = issue_token("admin", "write")
    change = {"text": "Keep orders for ten years.", "received_on": str(days(-1))}
    response = api.post(f"/api/v1/instructions/{first.id}/versions", token=token, json=change)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["version"] == 2 and body["supersedes_id"] == first.id
    assert body["title"] == "Retention" and body["source"] == "DPA annex 2"
    assert body["text"] == "Keep orders for ten years."
    again = api.post(f"/api/v1/instructions/{first.id}/versions", token=token, json=change)
    assert again.status_code == 409 and "newer version" in again.get_json()["detail"]
    assert Instruction.select().count() == 2
    event = AuditEvent.get(AuditEvent.action == "instruction.registered")
    assert "version 2 of" in event.summary


def test_an_acknowledgement_needs_the_current_etag_and_is_recorded_once(app, api, issue_token):
    instruction = make_instruction(acknowledged_on=None)
    token, user = issue_token("legal", "write")
    url = f"/api/v1/instructions/{instruction.id}/acknowledge"
    assert api.post(url, token=token).status_code == 428
    assert api.post(url, token=token, headers={"If-Match": '"r7"'}).status_code == 412
    done = api.post(url, token=token, headers={"If-Match": '"r1"'})
    assert done.status_code == 200, done.get_json()
    assert done.get_json()["acknowledged_on"] is not None and done.headers["ETag"] == '"r2"'
    assert Instruction.get_by_id(instruction.id).acknowledged_by_id == user.id
    assert AuditEvent.get(AuditEvent.action == "instruction.acknowledged").actor_id == user.id
    twice = api.post(url, token=token, headers={"If-Match": "*"})
    assert twice.status_code == 409


def test_a_read_token_may_not_register(app, api, issue_token):
    controller = make_controller()
    url = f"/api/v1/controllers/{controller.id}/instructions"
    read_token, _user = issue_token("legal", "read")
    assert api.post(url, token=read_token, json=new_instruction()).status_code == 403
    assert Instruction.select().count() == 0


def test_a_nul_character_is_refused_before_the_database_sees_it(app, api, issue_token):
    controller = make_controller()
    token, _user = issue_token("legal", "write")
    response = api.post(f"/api/v1/controllers/{controller.id}/instructions", token=token,
                        json=new_instruction(text="Keep\x00orders"))
    assert response.status_code == 422 and "text" in response.get_json()["errors"]
    assert Instruction.select().count() == 0
