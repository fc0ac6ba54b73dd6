"""Known and unknown addresses cost the same work, and reset e-mails are capped per hour.

Before, /password/forgot sent the e-mail inside the request (124 ms for a known address, 26 ms
for an unknown one) and mailed an account as often as anyone asked. Timing is not measured here:
the tests count the work each path does.
"""

from datetime import timedelta

import pytest
from argon2 import PasswordHasher

from registry.auth import resets
from registry.models import AuditEvent, PasswordResetRequest
from tests.auth_helpers import login_form, post_form
from tests.factories import PASSWORD, make_user


def _forgot(client, email):
    return post_form(client, "/password/forgot", {"email": email})


def test_forgot_password_answers_and_writes_alike_for_known_and_unknown_addresses(app, client):
    user = make_user()
    known = _forgot(client, user.email)
    unknown = _forgot(client, "nobody@example.test")
    assert (known.status_code, known.headers["Location"]) == (
        unknown.status_code, unknown.headers["Location"])
    hashes = [row.address_hash for row in PasswordResetRequest.select()]
    assert sorted(hashes) == sorted([resets.address_hash(user.email),
                                     resets.address_hash("nobody@example.test")])
    assert "nobody" not in "".join(hashes)


def test_reset_mails_are_capped_per_account_and_hour(app, client, outbox):
    user = make_user()
    for _request in range(resets.MAILS_PER_HOUR + 2):
        assert _forgot(client, user.email).status_code == 302
    assert len(outbox()) == resets.MAILS_PER_HOUR
    assert AuditEvent.select().where(
        AuditEvent.action == "auth.password_reset_capped").count() == 2


def test_the_cap_opens_again_after_an_hour(app, client, outbox, clock):
    user = make_user()
    for _request in range(resets.MAILS_PER_HOUR + 1):
        _forgot(client, user.email)
    clock.advance(timedelta(minutes=61))
    _forgot(client, user.email)
    assert len(outbox()) == resets.MAILS_PER_HOUR + 1
    assert PasswordResetRequest.select().count() == 1  # older requests are removed


@pytest.fixture
def verifications(monkeypatch):
    """Count argon2 verifications."""
    calls = []
    original = PasswordHasher.verify

    def counting(self, hash_, password):
        calls.append(hash_)
        return original(self, hash_, password)

    monkeypatch.setattr(PasswordHasher, "verify", counting)
    return calls


@pytest.mark.parametrize("case", ["unknown", "wrong password", "deactivated", "no password"])
def test_login_verifies_one_hash_for_every_kind_of_miss(app, client, verifications, case):
    user = {"unknown": None,
            "wrong password": make_user(),
            "deactivated": make_user(is_active=False),
            "no password": make_user(password=None, enrolled=False)}[case]
    email = user.email if user else "nobody@example.test"
    password = PASSWORD if case == "deactivated" else "not the password at all"
    response = login_form(client, email, password)
    assert response.status_code == 200
    assert len(verifications) == 1
