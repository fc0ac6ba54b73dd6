"""The notice of a second-tier sub-processor names the sub-processor that engages it, so the
controller knows where in the chain its data goes (GDPR Art. 28(2), (4))."""

from registry.mail.delivery import deliver_due
from tests.registry_factories import make_dpa, make_engagement, make_subcontractor
from tests.subcontractors.helpers import form_post, signed_in


def test_the_notice_to_a_controller_names_the_parent(client, smtp_server):
    signed_in(client)
    controller = make_dpa().controller
    parent = make_subcontractor(name="Pilvipalvelu Oy")
    make_engagement(parent, controller)
    child = make_subcontractor(name="Varmuuskopio Oy", parent=parent)
    engagement = make_engagement(child, controller, on_list_at_signing=False)
    url = f"/engagements/{engagement.id}"
    form_post(client, f"{url}/notify", {}, page_url=url)
    deliver_due()
    [(_envelope, message, _auth)] = smtp_server.messages
    body = message.get_body(("plain",)).get_content()
    assert ("Engaged by: Pilvipalvelu Oy, one of our sub-processors, which passes "
            "it the data") in body
    assert "Engaged by</th>" in message.get_body(("html",)).get_content()
