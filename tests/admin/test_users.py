"""The admin user pages: list, invite, change role, deactivate, reset MFA."""

import logging
import re
from datetime import datetime

import pytest

from registry.models import AuditEvent, User
from tests.auth_helpers import login, post_form
from tests.factories import make_subcontractor, make_user, totp_code_for


def _admin_client(make_client):
    admin = make_user("admin")
    return admin, login(make_client(), admin)


def test_list_shows_users_with_state(app, make_client):
    _admin, client = _admin_client(make_client)
    invited = make_user("auditor", password=None, enrolled=False)
    page = client.get("/admin/users").get_data(as_text=True)
    assert invited.email in page and "Invited" in page


class _QueryCounter(logging.Handler):
    """Count the SQL statements peewee logs."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.count = 0

    def emit(self, record):
        self.count += 1


def _queries_for(client, url):
    logger, counter = logging.getLogger("peewee"), _QueryCounter()
    level = logger.level
    logger.addHandler(counter)
    logger.setLevel(logging.DEBUG)
    try:
        page = client.get(url).get_data(as_text=True)
    finally:
        logger.removeHandler(counter)
        logger.setLevel(level)
    return counter.count, page


def test_list_reads_each_users_subcontractor_without_a_query_per_row(app, make_client):
    _admin, client = _admin_client(make_client)
    make_user("subcontractor", subcontractor=make_subcontractor(name="Ensimmäinen Oy"))
    client.get("/admin/users")  # settles the session, so both counts see the same work
    few, _page = _queries_for(client, "/admin/users")
    for number in range(10):
        make_user("subcontractor", subcontractor=make_subcontractor(name=f"Toimittaja {number} Oy"))
    many, page = _queries_for(client, "/admin/users")
    assert "Ensimmäinen Oy" in page and "Toimittaja 9 Oy" in page
    assert many == few


def test_list_paginates(app, make_client):
    _admin, client = _admin_client(make_client)
    for _ in range(30):
        make_user("auditor", password=None, enrolled=False)
    first = client.get("/admin/users").get_data(as_text=True)
    assert "Page 1 of 2" in first
    assert "Page 2 of 2" in client.get("/admin/users?page=2").get_data(as_text=True)


def test_invite_creates_the_account_and_mails_the_link(app, make_client, outbox):
    admin, client = _admin_client(make_client)
    response = post_form(client, "/admin/users/invite", {
        "email": "Ann@Example.test", "full_name": "Ann Auditor", "role": "auditor",
        "subcontractor": ""})
    assert response.status_code == 302
    user = User.get(User.email == "ann@example.test")
    assert user.role == "auditor" and user.password_hash is None
    mail = outbox()[-1]
    assert mail["To"] == "ann@example.test"
    link = re.search(r"http://registry\.test(/invitation/\S+)",
                     mail.get_body(("plain",)).get_content()).group(1)
    assert make_client().get(link).status_code == 200
    event = AuditEvent.get(AuditEvent.action == "user.invited")
    assert event.actor_id == admin.id and event.object_id == str(user.id)


def test_invite_validates_next_to_the_fields(app, make_client):
    _admin, client = _admin_client(make_client)
    make_user(email="taken@example.test")
    response = post_form(client, "/admin/users/invite", {
        "email": "taken@example.test", "role": "legal", "subcontractor": ""})
    assert response.status_code == 400 and "exists already" in response.get_data(as_text=True)
    response = post_form(client, "/admin/users/invite", {
        "email": "s@example.test", "role": "subcontractor", "subcontractor": ""})
    assert response.status_code == 400
    assert "Choose the subcontractor" in response.get_data(as_text=True)
    assert User.select().count() == 2


def test_change_role(app, make_client):
    _admin, client = _admin_client(make_client)
    user = make_user("legal")
    subcontractor = make_subcontractor()
    response = post_form(client, f"/admin/users/{user.id}/role", {
        "role": "subcontractor", "subcontractor": str(subcontractor.id)},
        page_url=f"/admin/users/{user.id}")
    assert response.status_code == 302
    changed = User.get_by_id(user.id)
    assert changed.role == "subcontractor" and changed.subcontractor_id == subcontractor.id
    assert AuditEvent.get(AuditEvent.action == "user.role_changed").object_id == str(user.id)


def test_admin_cannot_change_own_role_or_deactivate_self(app, make_client):
    admin, client = _admin_client(make_client)
    response = post_form(client, f"/admin/users/{admin.id}/role", {
        "role": "legal", "subcontractor": ""}, page_url=f"/admin/users/{admin.id}")
    assert response.status_code == 400
    response = post_form(client, f"/admin/users/{admin.id}/deactivate", {},
                         page_url=f"/admin/users/{admin.id}")
    assert response.status_code == 400
    assert User.get_by_id(admin.id).role == "admin" and User.get_by_id(admin.id).is_active


def test_deactivate_signs_the_user_out_everywhere(app, make_client):
    _admin, client = _admin_client(make_client)
    user = make_user("legal")
    user_client = login(make_client(), user)
    response = post_form(client, f"/admin/users/{user.id}/deactivate", {},
                         page_url=f"/admin/users/{user.id}")
    assert response.status_code == 302
    assert user_client.get("/account").status_code == 302
    assert not User.get_by_id(user.id).is_active


def test_reset_mfa_needs_a_fresh_code_from_the_admin(app, make_client):
    admin, client = _admin_client(make_client)
    user = make_user("legal")
    user_client = login(make_client(), user)
    url = f"/admin/users/{user.id}/reset-mfa"
    page_url = f"/admin/users/{user.id}"
    assert post_form(client, url, {"code": "000000" if totp_code_for(admin) != "000000"
                                   else "111111"}, page_url=page_url).status_code == 400
    assert post_form(client, url, {"code": totp_code_for(user)},
                     page_url=page_url).status_code == 400  # the user's code is not the admin's
    assert User.get_by_id(user.id).totp_enabled_at is not None
    User.update(totp_last_step=0).where(User.id == admin.id).execute()  # a new step has come
    response = post_form(client, url, {"code": totp_code_for(admin)}, page_url=page_url)
    assert response.status_code == 302
    assert User.get_by_id(user.id).totp_enabled_at is None
    assert user_client.get("/account").status_code == 302


def test_resend_invitation_replaces_the_link(app, make_client, outbox):
    _admin, client = _admin_client(make_client)
    post_form(client, "/admin/users/invite", {"email": "new@example.test", "role": "legal",
                                               "subcontractor": ""})
    user = User.get(User.email == "new@example.test")
    first = outbox()[-1].get_body(("plain",)).get_content()
    response = post_form(client, f"/admin/users/{user.id}/invitation", {},
                         page_url=f"/admin/users/{user.id}")
    assert response.status_code == 302
    old_link = re.search(r"http://registry\.test(/invitation/\S+)", first).group(1)
    assert make_client().get(old_link).status_code == 404
    assert len(outbox()) == 2


def test_unknown_user_is_404(app, make_client):
    _admin, client = _admin_client(make_client)
    assert client.get("/admin/users/999999").status_code == 404


def test_times_show_in_the_registry_time_zone_with_a_relative_phrase(app, make_client):
    admin, client = _admin_client(make_client)
    other = make_user("auditor")
    # 12:32 UTC on 25 November is 14:32 in Helsinki (UTC+2), as on every other page.
    User.update(last_login_at=datetime(2026, 11, 25, 12, 32)).where(
        User.id.in_([admin.id, other.id])).execute()
    for url in ("/admin/users", f"/admin/users/{other.id}", "/account"):
        page = client.get(url).get_data(as_text=True)
        assert "(UTC)" not in page and " UTC<" not in page, url
    assert '2026-11-25 14:32 EET</time>' in client.get("/admin/users").get_data(as_text=True)
    assert '2026-11-25 14:32 EET</time>' in client.get(
        f"/admin/users/{other.id}").get_data(as_text=True)


@pytest.mark.parametrize(("action", "data"), [
    ("invitation", {}), ("role", {"role": "legal", "subcontractor": ""}),
    ("reset-mfa", {"code": "123456"})], ids=["invitation", "role", "reset-mfa"])
def test_a_deactivated_account_gets_no_invitation_role_or_reset(app, make_client, outbox,
                                                                action, data):
    _admin, client = _admin_client(make_client)
    gone = make_user("auditor", password=None, enrolled=False)
    post_form(client, f"/admin/users/{gone.id}/deactivate", {}, page_url=f"/admin/users/{gone.id}")
    sent, events = len(outbox()), AuditEvent.select().count()
    response = post_form(client, f"/admin/users/{gone.id}/{action}", data,
                         page_url=f"/admin/users/{gone.id}")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f"The account {gone.email} is deactivated." in page
    assert len(outbox()) == sent and AuditEvent.select().count() == events
    assert User.get_by_id(gone.id).role == "auditor"
