"""Security events leave an audit record with actor, address and time (ASVS 16.3), bounded.

Before, a refused page (403), another company's id (404), a refused CSRF token and a document
download left no trace in the audit log.
"""

import json

from registry.audit_trail import security_log
from registry.models import AuditEvent
from tests.auth_helpers import login
from tests.factories import make_user
from tests.registry_factories import make_attestation, make_document, make_subcontractor

ADDRESS = "192.0.2.44"


def _client(make_client):
    client = make_client()
    client.environ_base["REMOTE_ADDR"] = ADDRESS
    return client


def _events(action):
    return list(AuditEvent.select().where(AuditEvent.action == action).order_by(AuditEvent.id))


def test_a_refused_page_is_audited_with_actor_and_address(app, make_client):
    auditor = make_user("auditor")
    client = login(_client(make_client), auditor)
    assert client.get("/admin/users").status_code == 403
    [event] = _events(security_log.ACCESS_REFUSED)
    assert (event.actor_id, event.ip) == (auditor.id, ADDRESS)
    assert json.loads(event.details)["endpoint"] == "admin.list_users"


def test_another_companys_id_in_the_portal_is_audited(app, make_client):
    other = make_attestation(make_subcontractor(), document=make_document())
    tenant = make_user("subcontractor")
    client = login(_client(make_client), tenant)
    assert client.get(f"/portal/attestations/{other.id}/document").status_code == 404
    [event] = _events(security_log.NOT_FOUND)
    details = json.loads(event.details)
    assert (event.actor_id, event.ip) == (tenant.id, ADDRESS)
    assert details["endpoint"] == "portal.download_document"
    assert details["attestation_id"] == other.id


def test_a_refused_csrf_token_is_audited(app, make_client):
    client = _client(make_client)
    assert client.post("/login", data={"email": "a@example.test", "password": "x"}
                       ).status_code == 400
    [event] = _events(security_log.CSRF_REFUSED)
    assert (event.actor_label, event.ip) == ("anonymous", ADDRESS)


def test_a_download_is_audited(app, make_client):
    subcontractor = make_subcontractor()
    attestation = make_attestation(subcontractor, document=make_document())
    tenant = make_user("subcontractor", subcontractor=subcontractor)
    client = login(_client(make_client), tenant)
    assert client.get(f"/portal/attestations/{attestation.id}/document").status_code == 200
    [event] = _events(security_log.DOWNLOADED)
    assert (event.actor_id, event.ip, event.object_id) == (
        tenant.id, ADDRESS, str(attestation.document_id))


def test_a_flood_is_recorded_only_up_to_the_limit(app, make_client):
    client = login(_client(make_client), make_user("auditor"))
    for _request in range(security_log.PER_MINUTE + 5):
        assert client.get("/admin/users").status_code == 403
    assert len(_events(security_log.ACCESS_REFUSED)) == security_log.PER_MINUTE
