"""Objecting and confirming instructions on the page: nothing counts until a privacy contact
confirms through the e-mailed link, and a confirmed objection turns `check` red at once."""

import json
import re
from datetime import timedelta

from registry.models import AuditEvent, ControllerConfirmation, Engagement, utcnow
from tests.controller_pages.helpers import make_party
from tests.registry_factories import days, make_engagement, make_subcontractor
from tests.subcontractors.helpers import form_post, signed_in, text

LINK = re.compile(r"http://registry\.test(/c/confirmations/[\w-]+)")


def _object(client, party, engagement, reason="Data must stay in Finland."):
    return form_post(client, f"{party.path}/engagements/{engagement.id}/objection",
                     {"reason": reason}, page_url=party.path)


def _confirm(client, path, deliver):
    """Press Confirm on a mailed confirmation page; deliver the mail it queued."""
    response = form_post(client, path, {})
    deliver()
    return response


def _confirmation_paths(smtp_server, deliver):
    """Return {recipient: the confirmation path mailed to it} (after delivering the mail)."""
    deliver()
    found = {}
    for envelope, message, _auth in smtp_server.messages:
        body = message.get_body(preferencelist=("plain",)).get_content()
        match = LINK.search(body)
        if match:
            found[envelope[0]] = match.group(1)
    return found


def _check(runner, controller):
    result = runner.invoke(args=["check", "--format", "json", "--controller", str(controller.id)])
    codes = [finding["code"] for finding in json.loads(result.output)["findings"]]
    return result.exit_code, codes


def test_an_objection_confirmed_through_the_mail_is_recorded_and_turns_check_red(
        app, client, make_client, runner, parties, smtp_server, deliver):
    aurora, borealis = parties
    legal = make_client()
    staff = signed_in(legal)
    assert _check(runner, aurora.controller)[0] == 0
    response = _object(client, aurora, aurora.pending)
    assert response.status_code == 302
    assert "We e-mailed a confirmation link to your 2 registered privacy contacts" in text(
        client.get(response.headers["Location"]))
    mailed = _confirmation_paths(smtp_server, deliver)
    assert set(mailed) == {"dpo@aurora.example", "legal@aurora.example"}  # only those on record
    again = _object(client, aurora, aurora.pending)
    assert "nothing was sent again" in text(client.get(again.headers["Location"]))
    assert len(_confirmation_paths(smtp_server, deliver)) == 2 and len(smtp_server.messages) == 2
    assert Engagement.get_by_id(aurora.pending.id).objected_on is None
    assert _check(runner, aurora.controller)[0] == 0  # asked, not confirmed: nothing changed

    confirm_page = make_client().get(mailed["legal@aurora.example"])  # a mail scanner's GET
    assert "Aurora Mailer Ltd" in text(confirm_page) and "Data must stay in Finland." in text(
        confirm_page)
    assert Engagement.get_by_id(aurora.pending.id).objected_on is None
    confirmer = make_client()
    done = _confirm(confirmer, mailed["legal@aurora.example"], deliver)
    assert done.status_code == 200 and "Your objection to Aurora Mailer Ltd is recorded" in text(
        done)

    stored = Engagement.get_by_id(aurora.pending.id)
    assert stored.objected_on == days(0)
    assert "legal@aurora.example" in stored.objection_note
    assert "Data must stay in Finland." in stored.objection_note
    event = AuditEvent.select().where(AuditEvent.action == "engagement.objected").get()
    assert "legal@aurora.example" in event.actor_label
    code, codes = _check(runner, aurora.controller)
    assert code == 1 and "engagement_objected" in codes
    assert _check(runner, borealis.controller)[0] == 0
    staff_mail = [message for envelope, message, _ in smtp_server.messages
                  if envelope == [staff.email]]
    assert staff_mail and "Aurora Kauppa Oy confirmed an objection to Aurora Mailer Ltd" in \
        staff_mail[0]["Subject"]
    assert make_client().get(mailed["dpo@aurora.example"]).status_code == 404  # used up
    page = text(client.get(aurora.path))
    assert "Your objections" in page and "it may not process your data" in page
    legal_page = text(legal.get(f"/engagements/{aurora.pending.id}"))
    assert "Data must stay in Finland." in legal_page


def test_an_unconfirmed_or_expired_objection_changes_nothing(app, client, make_client, runner,
                                                            parties, smtp_server, clock, deliver):
    aurora = parties[0]
    _object(client, aurora, aurora.pending)
    path = _confirmation_paths(smtp_server, deliver)["dpo@aurora.example"]
    clock.advance(timedelta(hours=72, minutes=1))
    assert make_client().get(path).status_code == 404
    stale = make_client()
    page = stale.get(path)
    assert "This link is not valid" in text(page)
    assert Engagement.get_by_id(aurora.pending.id).objected_on is None
    assert ControllerConfirmation.select().where(
        ControllerConfirmation.confirmed_at.is_null(False)).count() == 0
    assert _check(runner, aurora.controller)[0] == 0


def test_an_objection_needs_a_reason_and_a_form_token(client, parties, smtp_server):
    aurora = parties[0]
    response = _object(client, aurora, aurora.pending, reason="  ")
    assert response.status_code == 400
    assert "Give the reason for your objection." in text(response)
    url = f"{aurora.path}/engagements/{aurora.pending.id}/objection"
    assert client.post(url, data={"reason": "No token"}).status_code == 400
    assert smtp_server.messages == []
    assert ControllerConfirmation.select().count() == 0


def test_after_the_deadline_a_late_objection_is_flagged_for_review_not_applied(
        app, client, make_client, runner, clock, smtp_server, deliver):
    party = make_party("Cirrus Oy", ["dpo@cirrus.example"], "Cirrus")
    Engagement.update(notified_on=days(-40), notice_sent_at=utcnow() - timedelta(days=40)).where(
        Engagement.id == party.pending.id).execute()
    page = text(client.get(party.path))
    assert "Send a late objection" in page and "You may object until" not in page
    _object(client, party, party.pending, reason="We were on holiday.")
    path = _confirmation_paths(smtp_server, deliver)["dpo@cirrus.example"]
    done = _confirm(make_client(), path, deliver)
    assert "flagged for our legal staff to review" in text(done)
    code, codes = _check(runner, party.controller)
    assert code == 0 and "engagement_late_objection" in codes
    assert "engagement_objected" not in codes
    assert "After the objection period: under review" in text(client.get(party.path))


def test_an_instruction_is_confirmed_by_the_controller_through_the_mail(
        app, client, make_client, parties, smtp_server, deliver):
    aurora = parties[0]
    url = f"{aurora.path}/instructions/{aurora.instruction.id}/confirmation"
    form_post(client, url, {}, page_url=aurora.path)
    assert "Awaiting your e-mailed confirmation" in text(client.get(aurora.path))
    path = _confirmation_paths(smtp_server, deliver)["dpo@aurora.example"]
    shown = text(make_client().get(path))
    assert "Delete abandoned carts after 30 days." in shown
    _confirm(make_client(), path, deliver)
    page = text(client.get(aurora.path))
    assert "by dpo@aurora.example" in page and "This is the instruction we gave" not in page
    event = AuditEvent.select().where(
        AuditEvent.action == "instruction.controller_confirmed").get()
    assert event.object_id == str(aurora.instruction.id)
    assert aurora.instruction.acknowledged_on is not None  # the processor's own stays apart


def test_objecting_to_an_every_controller_engagement_concerns_only_the_objector(
        app, client, make_client, runner, parties, smtp_server, deliver):
    aurora, borealis = parties
    shared = make_engagement(
        make_subcontractor(name="Nimbus Analytics AB", status="proposed"), None,
        on_list_at_signing=False, notified_on=days(-2),
        notice_recipients=["dpo@aurora.example", "privacy@borealis.example"],
        notice_sent_at=utcnow() - timedelta(days=2))
    for party in parties:
        assert "Nimbus Analytics AB" in text(client.get(party.path))
    _object(client, borealis, shared, reason="Not in our contract.")
    _confirm(make_client(), _confirmation_paths(smtp_server, deliver)["privacy@borealis.example"],
             deliver)
    own = Engagement.get((Engagement.controller == borealis.controller.id)
                         & (Engagement.subcontractor == shared.subcontractor_id))
    assert own.objected_on == days(0) and Engagement.get_by_id(shared.id).objected_on is None
    assert "engagement_objected" in _check(runner, borealis.controller)[1]
    assert "engagement_objected" not in _check(runner, aurora.controller)[1]
    aurora_page = text(client.get(aurora.path))
    assert "Your objections" not in aurora_page and "Not in our contract." not in aurora_page
