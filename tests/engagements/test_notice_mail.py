"""The notice e-mail to controllers, delivered through a real SMTP server on loopback."""

from datetime import timedelta

from registry.mail.delivery import deliver_due
from registry.models import Setting
from tests.registry_factories import make_controller, make_dpa, make_engagement, make_subcontractor
from tests.subcontractors.helpers import form_post, signed_in, today


def _vendor():
    return make_subcontractor(
        name="Cloud <Mail> Inc", country="US", business_id=None, processing_countries=["US", "IE"],
        transfer_mechanism="dpf", purpose="E-mail delivery of order confirmations",
        data_categories=["names", "e-mail addresses"], website="https://cloud.example")


def _notify(client, engagement):
    """Notify through the page, then deliver the mail outbox as the worker would."""
    url = f"/engagements/{engagement.id}"
    response = form_post(client, f"{url}/notify", {}, page_url=url)
    deliver_due()
    return response


def test_notice_lists_the_sub_processor_and_the_objection_deadline(client, smtp_server):
    user = signed_in(client)
    Setting.create(key="processor_name", value="Palvelu Oy")
    controller = make_controller(name="Kauppa Oy",
                                 privacy_contacts=["privacy@kauppa.example", "dpo@kauppa.example"])
    make_dpa(controller, objection_period_days=30)
    engagement = make_engagement(_vendor(), controller, on_list_at_signing=False)
    _notify(client, engagement)
    [(envelope, message, _auth)] = smtp_server.messages
    assert sorted(envelope) == ["dpo@kauppa.example", "privacy@kauppa.example"]
    deadline = today() + timedelta(days=30)
    assert message["Subject"] == (
        "[dpa-registry] New sub-processor Cloud <Mail> Inc: you may object until "
        f"{deadline.isoformat()}")
    assert message["Reply-To"] == user.email
    body = message.get_body(("plain",)).get_content()
    assert "Dear privacy contact of Kauppa Oy," in body
    assert "Palvelu Oy processes personal data on behalf of Kauppa Oy" in body
    assert "Sub-processor: Cloud <Mail> Inc" in body
    assert "E-mail delivery of order confirmations" in body
    assert "names, e-mail addresses" in body
    assert "United States (US), Ireland (IE)" in body
    assert "EU-US Data Privacy Framework" in body
    assert f"{deadline.day} {deadline:%B %Y} ({deadline.isoformat()})" in body
    html = message.get_body(("html",)).get_content()
    assert "Cloud &lt;Mail&gt; Inc" in html and "<Mail>" not in html


def test_specific_authorisation_asks_for_written_approval(client, smtp_server):
    signed_in(client)
    controller = make_controller()
    make_dpa(controller, subprocessor_authorisation="specific", objection_period_days=21)
    engagement = make_engagement(_vendor(), controller, on_list_at_signing=False)
    _notify(client, engagement)
    [(_envelope, message, _auth)] = smtp_server.messages
    assert message["Subject"] == ("[dpa-registry] Approval requested: new sub-processor "
                                  "Cloud <Mail> Inc")
    body = message.get_body(("plain",)).get_content()
    assert "requires your prior written approval" in body
    assert (today() + timedelta(days=21)).isoformat() in body


def test_scope_all_sends_each_controller_its_own_notice(client, smtp_server):
    signed_in(client)
    first = make_controller(name="First Oy", privacy_contacts=["p@first.example"])
    second = make_controller(name="Second Oy", privacy_contacts=["p@second.example"])
    make_dpa(first, objection_period_days=14)
    make_dpa(second, objection_period_days=45)
    make_controller(name="Ended Oy", status="ended", privacy_contacts=["p@ended.example"])
    engagement = make_engagement(_vendor(), None, on_list_at_signing=False)
    _notify(client, engagement)
    sent = {tuple(envelope): message for envelope, message, _auth in smtp_server.messages}
    assert set(sent) == {("p@first.example",), ("p@second.example",)}
    first_body = sent[("p@first.example",)].get_body(("plain",)).get_content()
    second_body = sent[("p@second.example",)].get_body(("plain",)).get_content()
    assert "First Oy" in first_body and "Second Oy" not in first_body
    assert (today() + timedelta(days=14)).isoformat() in first_body
    assert (today() + timedelta(days=45)).isoformat() in second_body


def test_no_mail_when_nothing_is_recorded(client, smtp_server):
    signed_in(client)
    controller = make_controller()
    make_dpa(controller)
    engagement = make_engagement(_vendor(), controller, on_list_at_signing=False,
                                 withdrawn_on=today())
    _notify(client, engagement)
    assert smtp_server.messages == []
