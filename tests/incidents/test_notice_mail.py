"""Notice e-mails: queued by the page, mailed by the worker to a real SMTP server on loopback."""

from datetime import UTC, datetime

import pytest

from registry import checks
from registry.models import AuditEvent, IncidentMessage, IncidentNotice
from tests.incidents.factories import make_incident
from tests.incidents.helpers import form_post, signed_in, text
from tests.registry_factories import make_controller, make_dpa, make_subcontractor

AWARE = datetime(2026, 11, 25, 7, 0, tzinfo=UTC)  # 09:00 in Helsinki


@pytest.fixture
def incident(app, clock):
    """An incident affecting Aurora (two privacy contacts) and Borealis (one)."""
    aurora = make_dpa(make_controller(
        name="Aurora Kauppa Oy",
        privacy_contacts=["dpo@aurora.example", "legal@aurora.example"])).controller
    borealis = make_dpa(make_controller(
        name="Borealis Oy", privacy_contacts=["privacy@borealis.example"])).controller
    return make_incident([aurora, borealis], aware_at=AWARE, title="Order export misdirected",
                         reference="INC-2026-007")


def _body(message):
    return message.get_body(preferencelist=("plain",)).get_content()


def _by_recipients(smtp_server):
    return {tuple(sorted(envelope)): message for envelope, message, _ in smtp_server.messages}


def test_notices_leave_in_the_worker_and_carry_the_facts(client, incident, smtp_server, queue):
    signed_in(client)
    url = f"/incidents/{incident.id}"
    response = form_post(client, f"{url}/notify", {}, page_url=url)
    assert "The notice to 2 controllers is on its way" in text(
        client.get(response.headers["Location"]))
    assert smtp_server.messages == []  # nothing is mailed inside the request
    assert "being sent to dpo@aurora.example" in text(client.get(url))
    assert queue.work() == 1
    mails = _by_recipients(smtp_server)
    assert set(mails) == {("dpo@aurora.example", "legal@aurora.example"),
                          ("privacy@borealis.example",)}
    aurora = mails[("dpo@aurora.example", "legal@aurora.example")]
    assert aurora["Subject"].strip() == ("[dpa-registry] Personal data breach INC-2026-007 "
                                         "affecting Aurora Kauppa Oy")
    assert aurora["Message-ID"].startswith("<incident-")
    body = _body(aurora)
    for fact in ("INC-2026-007", "Order export misdirected",
                 "25 November 2026 at 09:00 EET (2026-11-25T09:00+02:00)",
                 "Misdirected e-mail with order data", "Customers (about 120)",
                 "Names, e-mail addresses, order numbers (about 150)", "Phishing attempts",
                 "Recipient asked to delete", "dpo@processor.example", "Article 33(2)",
                 "within 72 hours"):
        assert fact in body, fact
    assert "Aurora Kauppa Oy" in aurora.get_body(preferencelist=("html",)).get_content()
    notices = {notice.controller.name: notice for notice in IncidentNotice.select()}
    assert notices["Aurora Kauppa Oy"].notified_at is not None
    assert notices["Aurora Kauppa Oy"].recipients == ["dpo@aurora.example",
                                                      "legal@aurora.example"]
    assert AuditEvent.select().where(AuditEvent.action == "incident.notice_sent").count() == 2
    page = text(client.get(url))
    assert "sent" in page and "Send a follow-up" in page
    assert not [f for f in checks.current_assessment().findings if f.area == "incidents"]


def test_one_controller_can_be_notified_on_its_own(client, incident, smtp_server, queue):
    signed_in(client)
    url = f"/incidents/{incident.id}"
    borealis = IncidentNotice.get(IncidentNotice.controller != incident.notices[0].controller)
    form_post(client, f"{url}/notify", {"notice": str(borealis.id)}, page_url=url)
    queue.work()
    assert [envelope for envelope, _m, _a in smtp_server.messages] == [
        [*borealis.controller.privacy_contacts]]


def test_follow_ups_are_numbered_and_go_to_notified_controllers(client, incident, smtp_server,
                                                                queue):
    signed_in(client)
    url = f"/incidents/{incident.id}"
    early = form_post(client, f"{url}/follow-up", {"text": "More"}, page_url=url)
    assert "No controller has been notified yet" in text(client.get(early.headers["Location"]))
    form_post(client, f"{url}/notify", {}, page_url=url)
    queue.work()
    for number, news in enumerate(("The final count is 131 customers.", "Cause: a cron job."),
                                  start=1):
        form_post(client, f"{url}/follow-up", {"text": news}, page_url=url)
        queue.work()
        follow_ups = smtp_server.messages[-2:]
        assert {message["Subject"].strip() for _e, message, _a in follow_ups} == {
            f"[dpa-registry] Update {number}: personal data breach INC-2026-007 affecting "
            "Aurora Kauppa Oy",
            f"[dpa-registry] Update {number}: personal data breach INC-2026-007 affecting "
            "Borealis Oy"}
        assert all(news in _body(message) for _e, message, _a in follow_ups)
        assert all("Article 33(4)" in _body(message) for _e, message, _a in follow_ups)
    assert IncidentMessage.select().where(IncidentMessage.kind == "follow_up").count() == 4


def test_a_refused_notice_is_shown_and_can_be_sent_again(client, incident, smtp_server, queue):
    smtp_server.handler.refuse["privacy@borealis.example"] = "550 No such user"
    signed_in(client)
    url = f"/incidents/{incident.id}"
    form_post(client, f"{url}/notify", {}, page_url=url)
    queue.work()
    page = text(client.get(url))
    assert "not delivered" in page and "Send the notice again" in page
    failed = IncidentNotice.get(IncidentNotice.notified_at.is_null())
    assert failed.controller.name == "Borealis Oy"
    assert AuditEvent.get(AuditEvent.action == "incident.message_failed")
    del smtp_server.handler.refuse["privacy@borealis.example"]
    form_post(client, f"{url}/notify", {"notice": str(failed.id)}, page_url=url)
    queue.work()
    assert IncidentNotice.get_by_id(failed.id).notified_at is not None
    assert len(smtp_server.messages) == 2


def test_a_subcontractors_report_names_it_in_the_notice(client, app, clock, smtp_server, queue):
    controller = make_dpa(make_controller(privacy_contacts=["dpo@c.example"])).controller
    pilvi = make_subcontractor(name="Pilvi Oy")
    reported = make_incident([controller], aware_at=AWARE, detected_by="subcontractor",
                             subcontractor=pilvi, subcontractor_aware_at=datetime(2026, 11, 25, 6))
    signed_in(client)
    url = f"/incidents/{reported.id}"
    form_post(client, f"{url}/notify", {}, page_url=url)
    queue.work()
    [(_envelope, message, _auth)] = smtp_server.messages
    assert "our sub-processor Pilvi Oy" in _body(message)


def test_a_controller_without_privacy_contacts_is_named(client, app, clock, queue):
    controller = make_dpa(make_controller(name="Silent Oy", privacy_contacts=[])).controller
    incident = make_incident([controller], aware_at=AWARE)
    signed_in(client)
    url = f"/incidents/{incident.id}"
    response = form_post(client, f"{url}/notify", {}, page_url=url)
    assert "No privacy contact to notify at Silent Oy" in text(
        client.get(response.headers["Location"]))
    assert IncidentMessage.select().count() == 0


def test_a_finnish_controllers_notice_writes_its_dates_and_numbers_in_finnish(
        client, app, clock, smtp_server, queue):
    kauppa = make_dpa(make_controller(name="Kauppa Oy", country="FI", language="fi",
                                      privacy_contacts=["tietosuoja@kauppa.example"])).controller
    incident = make_incident([kauppa], aware_at=AWARE, title="Tilaukset väärään osoitteeseen",
                             reference="INC-2026-008")
    signed_in(client)
    url = f"/incidents/{incident.id}"
    form_post(client, f"{url}/notify", {}, page_url=url)
    assert queue.work() == 1
    [(_envelope, message, _auth)] = smtp_server.messages
    body = _body(message)
    assert "25. marraskuuta 2026" in body and "9.00 EET (2026-11-25T09:00+02:00)" in body
    assert "November" not in body and "about" not in body
