"""Every download keeps its sandbox policy: a file opened in the browser runs nothing.

The global header hook once replaced the downloads' `default-src 'none'; sandbox` with the pages'
policy, so a PDF or CSV opened inline got `script-src 'self'`. Each download route is requested
for real here, and the list is checked against the app's url_map so a new one is not forgotten.
"""

from datetime import date

import pytest

from registry.api import tokens
from registry.models import FlowDownAgreement, ReportJob, ReturnOrDeletion, utcnow
from registry.security import DOWNLOAD_POLICY
from tests.auth_helpers import login
from tests.factories import make_user
from tests.registry_factories import (
    days,
    make_attestation,
    make_document,
    make_dpa,
    make_engagement,
    make_instruction,
    make_subcontractor,
)
from tests.requests.factories import make_assistance_request

# endpoint -> function(world) returning its URL; portal downloads are the tenant's own.
DOWNLOADS = {
    "dpas.download_document": lambda w: f"/dpas/{w['dpa'].id}/document",
    "instructions.download_document":
        lambda w: f"/instructions/{w['instruction'].id}/document",
    "engagements.download_approval":
        lambda w: f"/engagements/{w['engagement'].id}/approval/document",
    "subcontractors.download_flow_down":
        lambda w: f"/subcontractors/{w['subcontractor'].id}/flow-down/{w['agreement'].id}/document",
    "subcontractors.download_attestation":
        lambda w: (f"/subcontractors/{w['subcontractor'].id}/attestations/"
                   f"{w['attestation'].id}/document"),
    "portal.download_document": lambda w: f"/portal/attestations/{w['attestation'].id}/document",
    "subcontractors.export_subcontractors": lambda w: "/subcontractors/export.csv",
    "controllers.export_controllers": lambda w: "/controllers/export.csv",
    "interchange.export_registry": lambda w: "/export",
    "audit_trail.export_events": lambda w: "/audit/export.csv",
    "review.export_register": lambda w: "/review/register.json",
    "interchange.download_template": lambda w: "/import/template.xlsx",
    "reports.download_report": lambda w: "/reports/download?kind=dpa-register",
    "reports.download_job": lambda w: f"/reports/jobs/{w['report_job'].id}/download",
    "requests.download_answer_document":
        lambda w: f"/requests/assistance/{w['assistance'].id}/document",
    "return_or_deletion.download_certificate":
        lambda w: f"/return-or-deletion/{w['returned'].item_key}/certificate.pdf",
    "api.download_attestation": lambda w: f"/api/v1/attestations/{w['attestation'].id}/document",
    "api.download_dpa_document": lambda w: f"/api/v1/dpas/{w['dpa'].id}/document",
    "api.download_instruction_document":
        lambda w: f"/api/v1/instructions/{w['instruction'].id}/document",
    "api.download_approval_document":
        lambda w: f"/api/v1/engagements/{w['engagement'].id}/approval/document",
    "api.download_answer_document":
        lambda w: f"/api/v1/assistance-requests/{w['assistance'].id}/answer/document",
    "api.download_flow_down_document":
        lambda w: f"/api/v1/flow-down-agreements/{w['agreement'].id}/document",
}
DOWNLOAD_WORDS = ("download", "export")


@pytest.fixture
def world(app):
    """One stored document of every kind, and a legal user and a subcontractor user."""
    subcontractor = make_subcontractor()
    legal = make_user("legal")
    ended = make_dpa(status="terminated", terminated_on=days(-20)).controller
    return {
        "dpa": make_dpa(),
        "instruction": make_instruction(document=make_document()),
        "engagement": make_engagement(subcontractor, approval_document=make_document()),
        "subcontractor": subcontractor,
        "agreement": FlowDownAgreement.get(FlowDownAgreement.subcontractor == subcontractor),
        "attestation": make_attestation(subcontractor, document=make_document()),
        "legal": legal,
        "report_job": ReportJob.create(requested_by=legal, kind="dpa-register",
                                       as_of=date(2026, 11, 25), status="done",
                                       document=make_document(), expires_at=utcnow()),
        "assistance": make_assistance_request(ended, answer_document=make_document()),
        "returned": ReturnOrDeletion.create(  # the processor's own item for the ended contract
            item_key=f"controller-{ended.id}", controller=ended, trigger_on=days(-20),
            certificate=make_document(), certificate_on=days(-5)),
        "tenant": make_user("subcontractor", subcontractor=subcontractor),
        "auditor": make_user("auditor"),
    }


def test_every_download_route_is_listed(app):
    found = {
        rule.endpoint for rule in app.url_map.iter_rules()
        if "GET" in rule.methods
        and any(word in rule.endpoint.split(".")[-1] for word in DOWNLOAD_WORDS)
    }
    assert found == set(DOWNLOADS), "add the new download route to DOWNLOADS"


@pytest.mark.parametrize("endpoint", sorted(DOWNLOADS))
def test_download_keeps_the_sandbox_policy(world, make_client, endpoint):
    user = world["tenant"] if endpoint.startswith("portal.") else world["legal"]
    if endpoint == "audit_trail.export_events":
        user = world["auditor"]  # the whole log goes to auditors and admins only
    if endpoint.startswith("api."):  # the API takes a bearer token, never a session
        secret = tokens.issue(user, "downloads").secret
        response = make_client().get(DOWNLOADS[endpoint](world),
                                     headers={"Authorization": f"Bearer {secret}"})
    else:
        response = login(make_client(), user).get(DOWNLOADS[endpoint](world))
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.headers["Content-Disposition"].startswith("attachment")
    csp = response.headers["Content-Security-Policy"]
    assert csp == DOWNLOAD_POLICY
    assert "sandbox" in csp and "default-src 'none'" in csp and "script-src" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response.headers["Cache-Control"]


def test_a_page_still_gets_the_page_policy(app, client):
    csp = client.get("/login").headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "sandbox" not in csp
