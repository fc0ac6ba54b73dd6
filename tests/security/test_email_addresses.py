"""Non-ASCII e-mail addresses: the domain is stored as IDNA (punycode), and a local part that
would need SMTPUTF8 is refused with a message, wherever an address is entered.

Before, such addresses were accepted and every e-mail to them was then undeliverable.
"""

from registry.models import Controller, Invitation, Subcontractor, User
from registry.validation import email_error, stored_email
from tests.auth_helpers import login, login_form, post_form
from tests.controllers.helpers import signed_in
from tests.factories import PASSWORD, make_user

IDN = "Anna@Exämple.FI"
PUNYCODE = "Anna@xn--exmple-cua.fi"
UTF8_LOCAL = "änna@example.fi"
REFUSED = "before the @"


def test_the_domain_is_stored_as_idna_and_a_non_ascii_local_part_is_refused():
    assert stored_email(IDN) == PUNYCODE
    assert email_error(IDN) is None
    assert REFUSED in email_error(UTF8_LOCAL)
    assert "not a valid domain" in email_error("anna@-exämple.fi")


def test_the_command_line_stores_idna_and_refuses_smtputf8(app, runner):
    result = runner.invoke(args=["users", "create", "--email", UTF8_LOCAL, "--role", "legal"])
    assert result.exit_code == 2 and REFUSED in result.output
    assert User.select().count() == 0
    result = runner.invoke(args=["users", "create", "--email", IDN, "--role", "legal"])
    assert result.exit_code == 0
    assert User.get().email == PUNYCODE.lower()


def test_sign_in_accepts_the_address_as_typed(app, client):
    user = make_user(email=PUNYCODE.lower())
    response = login_form(client, "anna@exämple.fi", PASSWORD)
    assert response.status_code == 302 and response.headers["Location"].endswith("/login/totp")
    assert user.email == "anna@xn--exmple-cua.fi"


def test_an_invitation_refuses_smtputf8_and_stores_idna(app, make_client):
    client = login(make_client(), make_user("admin"))
    refused = post_form(client, "/admin/users/invite",
                        {"email": UTF8_LOCAL, "role": "legal", "subcontractor": ""})
    assert refused.status_code == 400 and REFUSED in refused.get_data(as_text=True)
    accepted = post_form(client, "/admin/users/invite",
                         {"email": IDN, "role": "legal", "subcontractor": ""})
    assert accepted.status_code == 302
    assert Invitation.get().user.email == PUNYCODE.lower()


def test_portal_contacts_refuse_smtputf8_and_store_idna(app, client):
    tenant = make_user("subcontractor")
    login(client, tenant)
    refused = post_form(client, "/portal/contacts", {"email": UTF8_LOCAL})
    assert refused.status_code == 422 and REFUSED in refused.get_data(as_text=True)
    assert post_form(client, "/portal/contacts", {"email": IDN}).status_code == 302
    assert Subcontractor.get_by_id(tenant.subcontractor_id).contacts[-1] == PUNYCODE


def test_controller_contacts_refuse_smtputf8_and_store_idna(app, client):
    from tests.controllers.test_views import VALID

    signed_in(client)
    refused = post_form(client, "/controllers/new", dict(VALID, privacy_contacts=UTF8_LOCAL))
    assert refused.status_code in (400, 422) and REFUSED in refused.get_data(as_text=True)
    accepted = post_form(client, "/controllers/new", dict(VALID, privacy_contacts=IDN))
    assert accepted.status_code == 302
    assert Controller.get().privacy_contacts == [PUNYCODE]
