"""Instruction pages: register, new version with the diff, acknowledge, attach, download."""

import io
import json
from datetime import timedelta

import pytest

from registry.checks import current_snapshot
from registry.clock import local_today
from registry.models import AuditEvent, Instruction
from tests.controllers.helpers import pdf_file, signed_in, submit, text
from tests.registry_factories import make_controller, make_dpa, make_instruction

NEW = {"title": "Retention", "text": "Keep orders for 6 years.", "source": "E-mail from DPO",
       "received_on": "", "effective_from": ""}


def _iso(days=0):
    return (local_today() + timedelta(days=days)).isoformat()


def test_register_stores_version_one_with_its_document_and_audits_it(app, client):
    dpa = make_dpa()
    signed_in(client)
    response = submit(client, f"/controllers/{dpa.controller_id}/instructions/new",
                      dict(NEW, received_on=_iso(-1), document=pdf_file()))
    assert response.status_code == 302
    instruction = Instruction.get()
    assert (instruction.version, instruction.dpa_id, instruction.supersedes_id) == (
        1, dpa.id, None)
    assert instruction.document.filename == "signed.pdf"
    event = AuditEvent.get(AuditEvent.action == "instruction.registered")
    assert json.loads(event.details)["after"]["text"] == "Keep orders for 6 years."
    page = text(client.get(response.headers["Location"]))
    assert "Acknowledge it once the team has read it" in page
    assert client.get(f"/instructions/{instruction.id}/document").status_code == 200


@pytest.mark.parametrize(("changes", "message"), [
    ({"text": ""}, "Enter the instruction as the controller gave it."),
    ({"received_on": ""}, "Enter the date"),
    ({"received_on": 2}, "cannot be in the future"),
])
def test_register_shows_errors_next_to_the_field(app, client, changes, message):
    controller = make_controller()
    signed_in(client)
    data = dict(NEW, received_on=_iso(-1))
    data.update({key: _iso(value) if isinstance(value, int) else value
                 for key, value in changes.items()})
    response = submit(client, f"/controllers/{controller.id}/instructions/new", data)
    assert response.status_code == 400
    assert message in text(response)
    assert not Instruction.select().exists()


def test_new_version_keeps_the_old_one_and_shows_the_escaped_diff(app, client):
    first = make_instruction(text="Keep orders 6 years.", title="Retention")
    signed_in(client)
    form = text(client.get(f"/instructions/{first.id}/new-version"))
    assert "Keep orders 6 years." in form and "Register version 2" in form
    response = submit(client, f"/instructions/{first.id}/new-version",
                      dict(NEW, title="Retention", text="Keep orders <b>10</b> years.",
                           received_on=_iso(0)))
    second = Instruction.get(Instruction.version == 2)
    assert second.supersedes_id == first.id and second.acknowledged_on is None
    assert Instruction.get_by_id(first.id).text == "Keep orders 6 years."
    page = text(client.get(response.headers["Location"]))
    assert "<del>6</del><ins>&lt;b&gt;10&lt;/b&gt;</ins>" in page
    assert "<b>10</b>" not in page
    old = text(client.get(f"/instructions/{first.id}"))
    assert "This is an earlier version" in old and "Register a new version" not in old


def test_a_new_version_always_starts_from_the_latest(app, client):
    first = make_instruction()
    make_instruction(controller=first.controller, version=2, supersedes=first)
    signed_in(client)
    response = submit(client, f"/instructions/{first.id}/new-version",
                      dict(NEW, received_on=_iso(0)), page_url=f"/instructions/{first.id}")
    assert response.status_code == 302
    assert Instruction.select().count() == 2


def test_acknowledge_records_who_and_when_and_clears_the_finding(app, client):
    instruction = make_instruction(received_on=local_today() - timedelta(days=30),
                                   acknowledged_on=None)
    make_dpa(controller=instruction.controller)
    codes = {f.code for f in current_snapshot().assessment.findings}
    assert "instruction_unacknowledged" in codes
    user = signed_in(client)
    page = text(client.get(f"/instructions/{instruction.id}"))
    assert "Not acknowledged" in page and "Acknowledge by" in page
    response = submit(client, f"/instructions/{instruction.id}/acknowledge", {},
                      page_url=f"/instructions/{instruction.id}")
    assert response.status_code == 302
    instruction = Instruction.get_by_id(instruction.id)
    assert (instruction.acknowledged_on, instruction.acknowledged_by_id) == (
        local_today(), user.id)
    assert "instruction_unacknowledged" not in {
        f.code for f in current_snapshot().assessment.findings}
    page = text(client.get(f"/instructions/{instruction.id}"))
    assert user.full_name in page and "Acknowledge</button>" not in page
    again = submit(client, f"/instructions/{instruction.id}/acknowledge", {},
                   page_url=f"/instructions/{instruction.id}")
    assert "acknowledged already" in text(client.get(again.headers["Location"]))
    assert AuditEvent.select().where(
        AuditEvent.action == "instruction.acknowledged").count() == 1


def test_attach_a_document_later(app, client):
    instruction = make_instruction()
    signed_in(client)
    url = f"/instructions/{instruction.id}/document"
    assert client.get(url).status_code == 404
    response = submit(client, url, {}, page_url=f"/instructions/{instruction.id}")
    assert response.status_code == 400 and "Choose a PDF file." in text(response)
    response = submit(client, url, {"document": pdf_file()},
                      page_url=f"/instructions/{instruction.id}")
    assert response.status_code == 302
    assert client.get(url).headers["Content-Disposition"].startswith("attachment;")


def test_unknown_instruction_is_404(app, client):
    signed_in(client)
    assert client.get("/instructions/777").status_code == 404


def test_auditor_sees_no_buttons_and_every_write_is_refused(app, client):
    instruction = make_instruction(acknowledged_on=None)
    signed_in(client, "auditor")
    page = text(client.get(f"/instructions/{instruction.id}"))
    assert "Register a new version" not in page and "Acknowledge</button>" not in page
    assert "Attach the PDF" not in page
    page_url = f"/instructions/{instruction.id}"
    for url, data in [
        (f"/controllers/{instruction.controller_id}/instructions/new",
         dict(NEW, received_on=_iso(0))),
        (f"/instructions/{instruction.id}/new-version", dict(NEW, received_on=_iso(0))),
        (f"/instructions/{instruction.id}/acknowledge", {}),
        (f"/instructions/{instruction.id}/document", {"document": pdf_file()}),
    ]:
        assert submit(client, url, data, page_url=page_url).status_code == 403
    assert Instruction.get_by_id(instruction.id).acknowledged_on is None
    assert Instruction.select().count() == 1


def test_subcontractor_users_cannot_see_instructions(app, client):
    instruction = make_instruction()
    signed_in(client, "subcontractor")
    assert client.get(f"/instructions/{instruction.id}").status_code == 403


@pytest.mark.parametrize("upload", [None, "junk", "pdf"], ids=["no-file", "not-a-pdf", "pdf"])
def test_a_second_attachment_is_refused_with_a_message_not_a_silent_400(app, client, upload):
    instruction = make_instruction()
    signed_in(client)
    url = f"/instructions/{instruction.id}/document"
    page_url = f"/instructions/{instruction.id}"
    submit(client, url, {"document": pdf_file()}, page_url=page_url)
    files = {None: {}, "junk": {"document": (io.BytesIO(b"%PDF-1.4 junk"), "a.pdf")},
             "pdf": {"document": pdf_file(marker="another")}}[upload]
    response = submit(client, url, files, page_url=page_url)
    assert response.status_code == 302
    assert "This instruction has a document already." in text(client.get(page_url))
    assert Instruction.get_by_id(instruction.id).document.filename == "signed.pdf"
