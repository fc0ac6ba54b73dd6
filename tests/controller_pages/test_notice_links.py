"""Every notice e-mail to a controller's privacy contacts carries the link to its page."""

import re
from datetime import UTC, datetime

from registry.controller_pages import links
from tests.controller_pages.helpers import make_party
from tests.incidents.factories import make_incident
from tests.registry_factories import days, make_engagement, make_subcontractor
from tests.subcontractors.helpers import form_post, signed_in, text

PAGE_LINK = re.compile(r"http://registry\.test(/c/[\w-]+)\b")


def _mailed_paths(smtp_server, deliver):
    deliver()
    return {envelope[0]: PAGE_LINK.search(
        message.get_body(preferencelist=("plain",)).get_content())
        for envelope, message, _auth in smtp_server.messages}


def test_a_sub_processor_notice_carries_the_current_link(client, make_client, parties,
                                                          smtp_server, deliver):
    aurora = parties[0]
    signed_in(client)
    engagement = make_engagement(make_subcontractor(name="Nimbus Analytics AB"),
                                 aurora.controller, on_list_at_signing=False, proposed_on=days(0))
    url = f"/engagements/{engagement.id}"
    form_post(client, f"{url}/notify", {}, page_url=url)
    found = _mailed_paths(smtp_server, deliver)["dpo@aurora.example"]
    assert found and found.group(1) == aurora.path
    assert "Nimbus Analytics AB" in text(make_client().get(found.group(1)))


def test_a_controller_without_a_link_gets_one_with_its_first_notice(
        client, make_client, app, clock, smtp_server, deliver, queue):
    party = make_party("Cirrus Oy", ["dpo@cirrus.example"], "Cirrus")
    links.revoke_link(party.controller, "test")
    incident = make_incident([party.controller], title="Lost laptop", reference="INC-2026-009",
                             aware_at=datetime(2026, 11, 25, 7, 0, tzinfo=UTC))
    signed_in(client)
    form_post(client, f"/incidents/{incident.id}/notify", {},
              page_url=f"/incidents/{incident.id}")
    queue.work()
    found = _mailed_paths(smtp_server, deliver)["dpo@cirrus.example"]
    assert found and found.group(1) != party.path
    page = text(make_client().get(found.group(1)))
    assert "INC-2026-009" in page and "Lost laptop" in page
