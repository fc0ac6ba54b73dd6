"""A controller's own page: what it shows, to whom, and what stays out of reach."""

import re

from registry import create_app
from registry.controller_pages import links
from registry.extensions import database
from registry.models import (
    AuditEvent,
    ControllerLink,
    ControllerLinkVisitor,
    IncidentNotice,
    utcnow,
)
from tests.conftest import base_config
from tests.controller_pages.helpers import make_party
from tests.incidents.factories import make_incident
from tests.registry_factories import (
    days,
    make_engagement,
    make_instruction,
    make_subcontractor,
)
from tests.requests.factories import make_subject_request
from tests.subcontractors.helpers import form_post, signed_in, text


def test_the_page_shows_the_dpa_sub_processors_pending_changes_and_instructions(client, parties):
    aurora, _borealis = parties
    response = client.get(aurora.path)
    assert response.status_code == 200
    page = text(response)
    for shown in ("Aurora Kauppa Oy DPA", "30 days", "within 36 hours", "Aurora Hosting Oy",
                  "order data", "listed in the DPA at signing", "Aurora Mailer Ltd",
                  "You may object until <strong>2026-12-22</strong>",
                  "Aurora Kauppa Oy retention", "Delete abandoned carts after 30 days.",
                  "We have sent you no personal data breach notice."):
        assert shown in page, shown
    assert f'href="/c/{aurora.token}/sub-processors.pdf"' in page
    assert f'href="/c/{aurora.token}/feed.atom"' in page


def test_the_page_is_kept_out_of_search_engines_and_referrers(client, parties):
    response = client.get(parties[0].path)
    assert response.headers["X-Robots-Tag"] == "noindex, nofollow"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert '<meta name="robots" content="noindex, nofollow">' in text(response)
    missing = client.get("/c/" + "x" * 43)
    assert missing.status_code == 404
    assert missing.headers["Referrer-Policy"] == "no-referrer"


def _paths(party, other):
    """Every address of `party`'s link, with ids of `other`'s rows where the route takes one."""
    token = party.token
    return {
        "page": ("GET", f"/c/{token}"),
        "feed": ("GET", f"/c/{token}/feed.atom"),
        "objection": ("POST", f"/c/{token}/engagements/{other.pending.id}/objection"),
        "late objection": ("POST", f"/c/{token}/engagements/{other.authorised.id}/objection"),
        "instruction": ("POST", f"/c/{token}/instructions/{other.instruction.id}/confirmation"),
    }


def test_no_link_reaches_another_controllers_data(client, parties):
    for party, other in (parties, reversed(parties)):
        own = text(client.get(party.path)) + text(client.get(f"{party.path}/feed.atom"))
        assert party.controller.name in own
        assert other.controller.name not in own
        assert other.pending.subcontractor.name not in own
        for what, (method, path) in _paths(party, other).items():
            if method == "POST":
                response = form_post(client, path, {"reason": "Not ours"}, page_url=party.path)
                assert response.status_code == 404, what
    assert ControllerLink.select().where(ControllerLink.view_count > 0).count() == 2


def test_unknown_and_revoked_tokens_answer_404(client, parties):
    aurora, borealis = parties
    for token in ("sample", "x" * 43, aurora.token[:-1], aurora.token + "x", "y" * 200):
        assert client.get(f"/c/{token}").status_code == 404, token
    links.revoke_link(aurora.controller, "test")
    for path in (aurora.path, f"{aurora.path}/feed.atom", f"{aurora.path}/sub-processors.pdf"):
        assert client.get(path).status_code == 404, path
    assert client.get(borealis.path).status_code == 200


def _share_link(runner, *options):
    result = runner.invoke(args=["controllers", "share-link", *options])
    return result.exit_code, result.output.strip()


def test_share_link_prints_the_current_link_and_replaces_it_on_revoke(app, client, runner,
                                                                       parties):
    aurora = parties[0]
    code, printed = _share_link(runner, "--controller", str(aurora.controller.id))
    assert code == 0 and printed == f"http://registry.test/c/{aurora.token}"
    assert _share_link(runner, "--controller", str(aurora.controller.id))[1] == printed
    code, output = _share_link(runner, "--controller", str(aurora.controller.id), "--revoke")
    new_link = output.splitlines()[-1]
    assert code == 0 and new_link != printed and new_link.startswith("http://registry.test/c/")
    assert client.get(aurora.path).status_code == 404
    assert client.get(new_link.removeprefix("http://registry.test")).status_code == 200
    assert _share_link(runner, "--controller", "999")[0] == 2
    actions = [event.action for event in AuditEvent.select().order_by(AuditEvent.id)]
    assert actions[-2:] == ["controller_link.revoked", "controller_link.issued"]


def test_share_link_issues_a_link_for_a_controller_without_one(app, client, runner, clock):
    party = make_party("Cirrus Oy", ["dpo@cirrus.example"], "Cirrus")
    links.revoke_link(party.controller, "test")
    code, printed = _share_link(runner, "--controller", str(party.controller.id))
    assert code == 0
    assert "Cirrus Mailer Ltd" in text(client.get(printed.removeprefix("http://registry.test")))


def test_legal_staff_see_use_of_the_link_and_can_reissue_or_revoke_it(make_client, parties):
    aurora = parties[0]
    for address in ("192.0.2.1", "192.0.2.1", "198.51.100.7"):
        make_client().get(aurora.path, environ_base={"REMOTE_ADDR": address})
    assert ControllerLinkVisitor.select().count() == 2  # kept as hashes, never in the clear
    assert not ControllerLinkVisitor.select().where(
        ControllerLinkVisitor.address_hash.contains("192.0.2.1")).exists()
    legal = make_client()
    signed_in(legal)
    url = f"/controllers/{aurora.controller.id}"
    page = text(legal.get(url))
    assert "3 from 2 addresses" in page and f"/c/{aurora.token}" in page
    response = form_post(legal, f"{url}/page-link", {}, page_url=url)
    assert "the previous one no longer works" in text(legal.get(response.headers["Location"]))
    assert make_client().get(aurora.path).status_code == 404
    new_token = re.search(r"http://registry\.test/c/([\w-]+)", text(legal.get(url))).group(1)
    assert make_client().get(f"/c/{new_token}").status_code == 200
    form_post(legal, f"{url}/page-link/revoke", {}, page_url=url)
    assert make_client().get(f"/c/{new_token}").status_code == 404
    assert "No link is active" in text(legal.get(url))
    actions = [event.action for event in AuditEvent.select().order_by(AuditEvent.id)]
    assert actions[-3:] == ["controller_link.revoked", "controller_link.issued",
                            "controller_link.revoked"]


def test_auditors_see_the_use_but_not_the_address_and_cannot_change_it(make_client, parties):
    aurora = parties[0]
    auditor = make_client()
    signed_in(auditor, role="auditor")
    url = f"/controllers/{aurora.controller.id}"
    page = text(auditor.get(url))
    assert "Controller's own page" in page and "0 from 0 addresses" in page
    assert aurora.token not in page and "Re-issue the link" not in page
    assert auditor.post(f"{url}/page-link").status_code == 403


def test_guessing_tokens_is_rate_limited_per_address(app, tmp_path, database_url):
    limited = create_app({**base_config(tmp_path, database_url), "RATELIMIT_ENABLED": True,
                          "RATELIMIT_STORAGE_URI": "memory://"})
    client = limited.test_client()
    with limited.app_context():
        statuses = [client.get(f"/c/guess-{number}").status_code for number in range(61)]
        database.connect(reuse_if_open=True)
    assert statuses[:60] == [404] * 60
    assert statuses[60] == 429


def test_breach_notices_and_forwarded_requests_are_shown_to_their_controller_only(client,
                                                                                   parties):
    aurora, borealis = parties
    incident = make_incident([aurora.controller, borealis.controller], title="Lost laptop",
                             reference="INC-2026-011")
    IncidentNotice.update(notified_at=utcnow()).where(
        IncidentNotice.controller == aurora.controller.id).execute()
    make_subject_request(aurora.controller, reference="DSR-2026-031",
                         subject_reference="Maija Meikäläinen", forwarded_at=utcnow())
    make_subject_request(borealis.controller, reference="DSR-2026-032")  # not forwarded yet
    page = text(client.get(aurora.path))
    assert "INC-2026-011" in page and "Lost laptop" in page
    assert "DSR-2026-031" in page and "Access" in page
    assert "Maija" not in page  # the subject's reference went by e-mail, not onto the page
    other = text(client.get(borealis.path))
    assert incident.reference not in other  # notice recorded, not given yet
    assert "DSR-2026-03" not in other and "We have forwarded you no data-subject request." in other


def test_the_page_keeps_every_element_id_unique_with_several_forms(client, parties):
    aurora = parties[0]
    make_engagement(make_subcontractor(name="Nimbus Analytics AB", status="proposed"),
                    aurora.controller, on_list_at_signing=False, notified_on=days(-1))
    make_instruction(aurora.controller, title="Second instruction")
    failed = form_post(client, f"{aurora.path}/engagements/{aurora.pending.id}/objection",
                       {"reason": ""}, page_url=aurora.path)
    for page in (text(client.get(aurora.path)), text(failed)):
        assert page.count('name="csrf_token"') >= 4
        ids = re.findall(r'\sid="([^"]+)"', page)
        assert len(ids) == len(set(ids))
    assert 'aria-invalid="true"' in text(failed)


def test_the_sub_processor_list_pdf_is_the_controllers_own(client, parties):
    aurora = parties[0]
    response = client.get(f"{aurora.path}/sub-processors.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment") and "aurora-kauppa-oy" in disposition
    assert response.headers["Referrer-Policy"] == "no-referrer"
