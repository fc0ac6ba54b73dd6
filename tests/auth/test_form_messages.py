"""Every sign-in and account form says in words what is missing, next to the field."""

from html import unescape

import pytest

from tests.auth_helpers import login, post_form
from tests.factories import make_user


@pytest.mark.parametrize(("role", "url", "data", "messages"), [
    (None, "/login", {"email": "", "password": ""},
     ["Enter your e-mail address.", "Enter your password."]),
    (None, "/password/forgot", {"email": ""}, ["Enter your e-mail address."]),
    ("legal", "/account/password", {"current_password": "", "password": "", "confirm": ""},
     ["Enter your current password.", "Choose a new password.",
      "Type the new password again."]),
    ("legal", "/account/recovery-codes", {"code": ""},
     ["Enter the 6 digits shown in your authenticator app."]),
    ("admin", "/admin/users/invite", {"email": "", "role": "legal", "subcontractor": ""},
     ["Enter the person's e-mail address."]),
], ids=["login", "forgot", "password", "recovery-codes", "invite"])
def test_empty_fields_are_named_not_just_required(app, client, role, url, data, messages):
    if role:
        login(client, make_user(role))
    page_url = "/account" if url.startswith("/account/") else url
    # Read as text: a translated message may be escaped (&#39;) or not, as HTML allows.
    body = unescape(post_form(client, url, data, page_url=page_url).get_data(as_text=True))
    for message in messages:
        assert message in body
    assert "This field is required." not in body
