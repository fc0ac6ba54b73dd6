"""Every route of the vendor pages: who may use it, and 404 for what does not exist."""

import pytest

from registry.models import FlowDownAgreement
from tests.auth_helpers import csrf_token
from tests.registry_factories import (
    make_attestation,
    make_controller,
    make_engagement,
    make_subcontractor,
)
from tests.subcontractors.helpers import signed_in

READ = [
    "/subcontractors", "/subcontractors/export.csv", "/subcontractors/{s}",
    "/subcontractors/{s}/flow-down/{f}/document", "/subcontractors/{s}/attestations/{a}/document",
    "/subcontractors/attestations/{a}", "/subcontractors/flow-down/{f}", "/engagements",
    "/engagements/{e}", "/engagements/{e}/approval/document", "/review",
]
WRITE = [
    ("GET", "/subcontractors/new"), ("POST", "/subcontractors/new"),
    ("GET", "/subcontractors/{s}/edit"), ("POST", "/subcontractors/{s}/edit"),
    ("POST", "/subcontractors/{s}/offboard"),
    ("GET", "/subcontractors/{s}/flow-down/new"), ("POST", "/subcontractors/{s}/flow-down/new"),
    ("GET", "/subcontractors/{s}/attestations/new"),
    ("POST", "/subcontractors/{s}/attestations/new?type=security_questionnaire"),
    ("GET", "/engagements/new/{s}"), ("POST", "/engagements/new/{s}"),
    ("POST", "/engagements/{e}/notify"), ("POST", "/engagements/{e}/resend"),
    ("POST", "/engagements/{e}/objection"), ("POST", "/engagements/{e}/approval"),
    ("POST", "/engagements/{e}/withdraw"), ("POST", "/engagements/subcontractor/{s}/notify"),
    ("POST", "/review/{a}/accept"), ("POST", "/review/{a}/reject"),
    ("GET", "/review/{a}/revoke"), ("POST", "/review/{a}/revoke"),
]
WITH_IDS = [url for url in READ if "{" in url] + [url for _method, url in WRITE if "{" in url]


def _ids():
    subcontractor = make_subcontractor()
    attestation = make_attestation(subcontractor, review="pending")
    engagement = make_engagement(subcontractor, make_controller())
    return {"s": subcontractor.id, "a": attestation.id, "e": engagement.id,
            "f": FlowDownAgreement.get().id}, subcontractor


def test_auditor_is_refused_every_write(client):
    signed_in(client, "auditor")
    ids, _subcontractor = _ids()
    for method, url in WRITE:
        response = client.open(url.format(**ids), method=method)
        assert response.status_code == 403, (method, url)


def test_subcontractor_user_is_refused_every_route(client):
    ids, subcontractor = _ids()
    signed_in(client, "subcontractor", subcontractor=subcontractor)
    for url in READ:
        assert client.get(url.format(**ids)).status_code == 403, url
    for method, url in WRITE:
        assert client.open(url.format(**ids), method=method).status_code == 403, (method, url)


@pytest.mark.parametrize("url", sorted(set(WITH_IDS)))
def test_unknown_ids_are_404(client, url):
    signed_in(client)
    token = csrf_token(client.get("/subcontractors").get_data(as_text=True))
    target = url.format(s=999, a=999, e=999, f=999)
    response = client.get(target) if url in READ else client.open(
        target, method="POST" if ("POST", url) in WRITE else "GET", data={"csrf_token": token})
    assert response.status_code == 404, target
