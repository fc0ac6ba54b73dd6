"""Users of an offboarded subcontractor lose every session and cannot sign in again.

Before, offboarding only closed the portal: its users kept /account (and their sessions) and
could pass the password and TOTP steps again.
"""

import json

from registry.clock import local_today
from registry.models import AuditEvent, Subcontractor, UserSession
from tests.auth_helpers import login, login_form, post_form
from tests.factories import PASSWORD, make_user
from tests.registry_factories import make_subcontractor

GENERIC_FAILURE = "The e-mail address or password is not right"


def _offboard(client, subcontractor):
    url = f"/subcontractors/{subcontractor.id}/offboard"
    return post_form(client, url, {"offboarded_on": local_today().isoformat()},
                     page_url=f"/subcontractors/{subcontractor.id}")


def test_offboarding_ends_the_sessions_and_refuses_sign_in(app, make_client):
    company = make_subcontractor()
    tenant = make_user("subcontractor", subcontractor=company)
    colleague = make_user("subcontractor", subcontractor=company)
    laptop, phone, other = (login(make_client(), user) for user in (tenant, tenant, colleague))
    bystander = login(make_client(), make_user("subcontractor"))
    assert laptop.get("/account").status_code == 200

    response = _offboard(login(make_client(), make_user("legal")), company)
    assert response.status_code == 302

    for client in (laptop, phone, other):
        answer = client.get("/account")
        assert answer.status_code == 302 and answer.headers["Location"].startswith("/login")
    assert bystander.get("/account").status_code == 200
    open_rows = UserSession.select().where(UserSession.ended_at.is_null()
                                           & UserSession.user.in_([tenant.id, colleague.id]))
    assert open_rows.count() == 0
    event = AuditEvent.get(AuditEvent.action == "subcontractor.offboarded")
    assert json.loads(event.details)["sessions_ended"] == 3

    again = make_client()
    response = login_form(again, tenant.email, PASSWORD)
    assert response.status_code == 200
    assert GENERIC_FAILURE in response.get_data(as_text=True)
    assert again.get("/account").status_code == 302


def test_a_company_offboarded_by_other_means_loses_access_at_once(app, client):
    company = make_subcontractor()
    login(client, make_user("subcontractor", subcontractor=company))
    assert client.get("/account").status_code == 200
    # e.g. by an import: no session was ended, yet none of them is good any more
    Subcontractor.update(status="offboarded").where(Subcontractor.id == company.id).execute()
    assert client.get("/account").status_code == 302
    assert client.get("/portal/").status_code == 302
