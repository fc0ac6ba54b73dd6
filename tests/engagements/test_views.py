"""Engaging a subcontractor, notifying controllers, objections, approvals and withdrawals."""

import io
from datetime import timedelta

from registry.checks import current_snapshot
from registry.mail.delivery import deliver_due
from registry.models import AuditEvent, Document, Engagement
from tests.mail.smtpserver import free_port
from tests.registry_factories import make_controller, make_dpa, make_engagement, make_subcontractor
from tests.subcontractors.helpers import form_post, pdf_file, signed_in, text, today


def _engage(client, subcontractor, **data):
    url = f"/engagements/new/{subcontractor.id}"
    values = {"scope": "some", "proposed_on": today().isoformat()}
    values.update(data)
    return form_post(client, url, values)


def test_engage_for_several_controllers(client):
    user = signed_in(client)
    subcontractor = make_subcontractor()
    first, second, third = make_controller(), make_controller(), make_controller()
    response = _engage(client, subcontractor, controllers=[first.id, third.id])
    assert response.status_code == 302
    engaged = {e.controller_id for e in Engagement.select()}
    assert engaged == {first.id, third.id}
    assert AuditEvent.select().where(AuditEvent.action == "engagement.created").count() == 2
    assert AuditEvent.get(AuditEvent.action == "engagement.created").actor_id == user.id
    page = text(client.get(response.headers["Location"]))
    assert "Next: notify the controllers" in page and "Notify the controllers" in page
    form = text(client.get(f"/engagements/new/{subcontractor.id}"))
    assert second.name in form and first.name not in form


def test_engage_for_all_controllers_stores_one_scope_all_row(client):
    signed_in(client)
    subcontractor = make_subcontractor()
    make_controller()
    assert _engage(client, subcontractor, scope="all").status_code == 302
    engagement = Engagement.get()
    assert engagement.controller_id is None
    again = _engage(client, subcontractor, scope="all")
    assert again.status_code == 400
    assert "engaged for all controllers already" in text(again)


def test_engage_needs_a_controller(client):
    signed_in(client)
    subcontractor = make_subcontractor()
    make_controller()
    response = _engage(client, subcontractor)
    assert response.status_code == 400
    assert "Choose at least one controller" in text(response)
    assert Engagement.select().count() == 0


def test_engage_unknown_subcontractor_is_404(client):
    signed_in(client)
    assert client.get("/engagements/new/999").status_code == 404
    assert client.get("/engagements/999").status_code == 404


def test_notify_records_recipients_deadline_and_delivery(client):
    signed_in(client)
    controller = make_controller(privacy_contacts=["privacy@kauppa.example"])
    make_dpa(controller, objection_period_days=14)
    engagement = make_engagement(make_subcontractor(), controller, on_list_at_signing=False,
                                 proposed_on=today())
    url = f"/engagements/{engagement.id}"
    response = form_post(client, f"{url}/notify", {}, page_url=url)
    assert response.status_code == 302
    assert Engagement.get_by_id(engagement.id).notice_sent_at is None  # queued, not sent
    deliver_due()
    stored = Engagement.get_by_id(engagement.id)
    assert stored.notified_on == today()
    assert stored.objection_deadline == today() + timedelta(days=14)
    assert stored.notice_recipients == ["privacy@kauppa.example"]
    assert stored.notice_sent_at is not None and stored.notice_error == ""
    actions = [e.action for e in AuditEvent.select().order_by(AuditEvent.id)]
    # The notice carries the controller's page link, issued as the e-mail is built.
    assert actions[-3:] == ["engagement.notified", "controller_link.issued",
                            "engagement.notice_sent"]
    page = text(client.get(url))
    assert "Notified 1 controller about" in page and "may object until" in page
    assert (today() + timedelta(days=14)).isoformat() in page


def test_notify_twice_does_not_notify_again(client):
    signed_in(client)
    controller = make_controller()
    make_dpa(controller)
    engagement = make_engagement(make_subcontractor(), controller, on_list_at_signing=False)
    url = f"/engagements/{engagement.id}"
    form_post(client, f"{url}/notify", {}, page_url=url)
    second = form_post(client, f"{url}/notify", {}, page_url=url)
    assert "notified already" in text(client.get(second.headers["Location"]))
    assert AuditEvent.select().where(AuditEvent.action == "engagement.notified").count() == 1


def test_notify_refuses_a_controller_without_privacy_contact(client):
    signed_in(client)
    controller = make_controller(name="Hiljainen Oy", privacy_contacts=[])
    engagement = make_engagement(make_subcontractor(), controller, on_list_at_signing=False)
    url = f"/engagements/{engagement.id}"
    response = form_post(client, f"{url}/notify", {}, page_url=url)
    assert "No privacy contact to notify at Hiljainen Oy" in text(
        client.get(response.headers["Location"]))
    assert Engagement.get_by_id(engagement.id).notified_on is None


def test_bulk_notify_from_the_subcontractor_page(client):
    signed_in(client)
    subcontractor = make_subcontractor()
    for _ in range(3):
        controller = make_controller()
        make_dpa(controller)
        make_engagement(subcontractor, controller, on_list_at_signing=False)
    page_url = f"/subcontractors/{subcontractor.id}"
    assert "3 engagements are proposed" in text(client.get(page_url))
    response = form_post(client, f"/engagements/subcontractor/{subcontractor.id}/notify", {},
                         page_url=page_url)
    assert "Notified 3 controllers about" in text(client.get(response.headers["Location"]))
    assert Engagement.select().where(Engagement.notified_on.is_null()).count() == 0


def test_counts_of_one_read_in_the_singular(client):
    signed_in(client)
    subcontractor = make_subcontractor()
    make_dpa(make_controller())
    make_engagement(subcontractor, None, on_list_at_signing=False)
    page = text(client.get(f"/subcontractors/{subcontractor.id}"))
    assert "1 engagement is proposed" in page and "This withdraws 1 engagement." in page
    assert "<strong>1 controller</strong>" in text(client.get(
        f"/engagements/{Engagement.get().id}"))


def test_failed_delivery_is_recorded_and_can_be_sent_again(client, app, smtp_server):
    signed_in(client)
    controller = make_controller(privacy_contacts=["gone@kauppa.example"])
    make_dpa(controller)
    engagement = make_engagement(make_subcontractor(), controller, on_list_at_signing=False)
    url = f"/engagements/{engagement.id}"
    smtp_server.handler.refuse["gone@kauppa.example"] = "550 No such user"
    form_post(client, f"{url}/notify", {}, page_url=url)
    assert deliver_due().failed == 1
    page = text(client.get(url))
    assert "did not reach everyone" in page and "Send the notice again" in page
    stored = Engagement.get_by_id(engagement.id)
    assert stored.notified_on == today() and stored.notice_sent_at is None
    assert "gone@kauppa.example" in stored.notice_error and "550" in stored.notice_error
    assert AuditEvent.get(AuditEvent.action == "engagement.notice_failed")
    del smtp_server.handler.refuse["gone@kauppa.example"]
    response = form_post(client, f"{url}/resend", {}, page_url=url)
    assert "The notice is being sent again" in text(client.get(response.headers["Location"]))
    assert deliver_due().sent == 1
    stored = Engagement.get_by_id(engagement.id)
    assert stored.notice_sent_at is not None and stored.notice_error == ""
    assert len(smtp_server.messages) == 1


def test_a_temporary_failure_keeps_the_notice_waiting_for_a_retry(client, app):
    signed_in(client)
    controller = make_controller()
    make_dpa(controller)
    engagement = make_engagement(make_subcontractor(), controller, on_list_at_signing=False)
    url = f"/engagements/{engagement.id}"
    app.config["SMTP_URL"] = f"smtp://127.0.0.1:{free_port()}?timeout=2"  # nobody listens there
    form_post(client, f"{url}/notify", {}, page_url=url)
    assert deliver_due().retried == 1
    stored = Engagement.get_by_id(engagement.id)
    assert stored.notice_sent_at is None and stored.notice_error == ""


def test_record_objection(client):
    signed_in(client)
    controller = make_controller()
    make_dpa(controller)
    engagement = make_engagement(make_subcontractor(), controller, on_list_at_signing=False,
                                 notified_on=today(), objection_deadline=today() + timedelta(30))
    url = f"/engagements/{engagement.id}"
    response = form_post(client, f"{url}/objection",
                         {"objected_on": today().isoformat(), "note": "Data must stay in FI"},
                         page_url=url)
    assert response.status_code == 302
    page = text(client.get(url))
    assert "Objected" in page and "Data must stay in FI" in page
    assert AuditEvent.get(AuditEvent.action == "engagement.objected").object_id == str(
        engagement.id)


def test_objection_needs_a_note_and_a_past_date(client):
    signed_in(client)
    engagement = make_engagement(make_subcontractor(), make_controller(),
                                 on_list_at_signing=False)
    url = f"/engagements/{engagement.id}"
    response = form_post(client, f"{url}/objection", {"objected_on": today().isoformat(),
                                                      "note": ""}, page_url=url)
    assert response.status_code == 400 and "Summarise the objection." in text(response)
    future = (today() + timedelta(days=2)).isoformat()
    response = form_post(client, f"{url}/objection", {"objected_on": future, "note": "No"},
                         page_url=url)
    assert response.status_code == 400 and "cannot be in the future" in text(response)
    assert Engagement.get_by_id(engagement.id).objected_on is None


def test_record_written_approval_with_pdf(client):
    signed_in(client)
    controller = make_controller()
    make_dpa(controller, subprocessor_authorisation="specific")
    engagement = make_engagement(make_subcontractor(), controller, on_list_at_signing=False,
                                 notified_on=today())
    url = f"/engagements/{engagement.id}"
    response = form_post(client, f"{url}/approval",
                         {"approved_on": today().isoformat(),
                          "file": pdf_file("approval.pdf", "approval")},
                         page_url=url, content_type="multipart/form-data")
    assert response.status_code == 302
    stored = Engagement.get_by_id(engagement.id)
    assert stored.approved_on == today()
    assert stored.approval_document.filename == "approval.pdf"
    download = client.get(f"{url}/approval/document")
    assert download.status_code == 200
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert "Authorised" in text(client.get(url))


def test_approval_refuses_a_file_that_is_not_a_pdf(client):
    signed_in(client)
    engagement = make_engagement(make_subcontractor(), make_controller(),
                                 on_list_at_signing=False)
    documents = Document.select().count()
    url = f"/engagements/{engagement.id}"
    response = form_post(client, f"{url}/approval",
                         {"approved_on": today().isoformat(),
                          "file": (io.BytesIO(b"hello"), "approval.pdf")},
                         page_url=url, content_type="multipart/form-data")
    assert response.status_code == 400
    assert Engagement.get_by_id(engagement.id).approved_on is None
    assert Document.select().count() == documents


def test_withdraw(client):
    signed_in(client)
    engagement = make_engagement(make_subcontractor(), make_controller())
    url = f"/engagements/{engagement.id}"
    response = form_post(client, f"{url}/withdraw", {"withdrawn_on": today().isoformat()},
                         page_url=url)
    assert response.status_code == 302
    page = text(client.get(url))
    assert "Withdrawn" in page and "Record an objection" not in page
    assert AuditEvent.get(AuditEvent.action == "engagement.withdrawn")


def test_list_shows_open_engagements_nearest_deadline_first(client):
    signed_in(client)
    # Under DPAs with a 5-day objection period: the stored deadlines are not shorter.
    later = make_engagement(make_subcontractor(name="Later Oy"),
                            make_dpa(objection_period_days=5).controller,
                            on_list_at_signing=False, notified_on=today(),
                            objection_deadline=today() + timedelta(days=20))
    sooner = make_engagement(make_subcontractor(name="Sooner Oy"),
                             make_dpa(objection_period_days=5).controller,
                             on_list_at_signing=False, notified_on=today(),
                             objection_deadline=today() + timedelta(days=5))
    make_engagement(make_subcontractor(name="Done Oy"), make_dpa().controller)
    page = text(client.get("/engagements"))
    assert page.index("Sooner Oy") < page.index("Later Oy") and "Done Oy" not in page
    assert "Done Oy" in text(client.get("/engagements?status=authorised"))
    assert "Sooner Oy" not in text(client.get("/engagements?q=later"))
    assert later.id != sooner.id


def test_auditor_sees_no_actions_and_cannot_write(client):
    signed_in(client, "auditor")
    subcontractor = make_subcontractor()
    engagement = make_engagement(subcontractor, make_controller(), on_list_at_signing=False)
    url = f"/engagements/{engagement.id}"
    page = text(client.get(url))
    assert "Notify the controllers" not in page and "Withdraw" not in page
    for action in ("notify", "resend", "objection", "approval", "withdraw"):
        assert client.post(f"{url}/{action}").status_code == 403, action
    assert client.get(f"/engagements/new/{subcontractor.id}").status_code == 403
    assert client.post(f"/engagements/subcontractor/{subcontractor.id}/notify").status_code == 403


def test_subcontractor_users_are_refused(client):
    subcontractor = make_subcontractor()
    engagement = make_engagement(subcontractor, make_controller())
    signed_in(client, "subcontractor", subcontractor=subcontractor)
    assert client.get("/engagements").status_code == 403
    assert client.get(f"/engagements/{engagement.id}").status_code == 403


def test_offboarded_subcontractor_cannot_be_engaged(client):
    signed_in(client)
    subcontractor = make_subcontractor(status="offboarded")
    response = client.get(f"/engagements/new/{subcontractor.id}")
    assert response.status_code == 302
    assert "cannot be engaged" in text(client.get(response.headers["Location"]))


def test_resend_without_a_notice_explains_itself(client):
    signed_in(client)
    engagement = make_engagement(make_subcontractor(), make_controller(),
                                 on_list_at_signing=False)
    url = f"/engagements/{engagement.id}"
    response = form_post(client, f"{url}/resend", {}, page_url=url)
    assert "no recorded notice to send again" in text(client.get(response.headers["Location"]))


def test_objection_to_an_every_controller_engagement_concerns_that_controller(client):
    signed_in(client)
    objecting, content = make_controller(name="Vastaan Oy"), make_controller(name="Tyytyväinen Oy")
    make_dpa(objecting)
    make_dpa(content)
    shared = make_engagement(make_subcontractor(), None, on_list_at_signing=False,
                             notified_on=today())
    url = f"/engagements/{shared.id}"
    assert "Which controller objected?" in text(client.get(url))
    missing = form_post(client, f"{url}/objection",
                        {"objected_on": today().isoformat(), "note": "No thanks"}, page_url=url)
    assert missing.status_code == 400 and "Choose the controller that objected." in text(missing)
    response = form_post(client, f"{url}/objection",
                         {"controller": objecting.id, "objected_on": today().isoformat(),
                          "note": "No thanks"}, page_url=url)
    own = Engagement.get(Engagement.controller == objecting)
    assert response.headers["Location"].endswith(f"/engagements/{own.id}")
    assert own.objected_on == today() and own.notified_on == today()
    assert Engagement.get_by_id(shared.id).objected_on is None
    findings = current_snapshot().assessment.findings
    objected = [f for f in findings if f.code == "engagement_objected"]
    assert [(f.controller_id, f.subject_id) for f in objected] == [(objecting.id, own.id)]
