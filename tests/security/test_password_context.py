"""Passwords made of the service's or company's name are refused (ASVS 6.2.11), on every path.

Before, `dpa-registry2026` and `processor registry 2026` passed the policy.
"""

import pytest

from registry.auth import passwords
from registry.auth.accounts import new_link
from registry.models import Setting, User
from tests.auth_helpers import login, post_form
from tests.factories import PASSWORD, make_user

WORDS = passwords.context_words("dpa-registry", "Aurora Processing Oy")
REFUSED_MESSAGE = "it is part of the name of this service or company"


def test_the_context_words():
    assert WORDS == ["aurora", "dpa", "processing", "registry"]
    assert passwords.context_words("", None) == ["dpa", "registry"]


@pytest.mark.parametrize("password, word", [
    ("dpa-registry2026", "dpa"),
    ("processor registry 2026", "registry"),
    ("DPA lantern harbour orbit", "dpa"),
    ("Aurora-borealis-kettle-7", "aurora"),
    ("quiet processing lantern", "processing"),
])
def test_the_policy_refuses_context_words(password, word):
    problems = passwords.policy_problems(password, "someone@example.test", WORDS)
    assert problems == [f"Do not use “{word}” in your password: {REFUSED_MESSAGE}."]


def test_short_parts_of_a_name_are_not_context_words():
    words = passwords.context_words("Kone Oy")  # "oy" is inside too many words
    assert words == ["dpa", "kone", "registry"]
    assert passwords.policy_problems("boy toy joy quartz melon", "a@example.test", words) == []


@pytest.fixture
def named_registry(app):
    """A registry named "Vendor Vault" for the processor "Aurora Processing Oy"."""
    app.config["REGISTRY_NAME"] = "Vendor Vault"
    Setting.create(key="processor_name", value="Aurora Processing Oy")
    return app


@pytest.mark.parametrize("password", [
    "dpa-registry2026", "processor registry 2026", "vendor-vault-lantern-88",
    "aurora sunrise harbour 91",
])
def test_the_account_page_refuses_them(named_registry, client, password):
    user = make_user()
    login(client, user)
    before = User.get_by_id(user.id).password_hash
    response = post_form(client, "/account/password", {
        "current_password": PASSWORD, "password": password, "confirm": password},
        page_url="/account")
    assert response.status_code == 400
    assert REFUSED_MESSAGE in response.get_data(as_text=True)
    assert User.get_by_id(user.id).password_hash == before


def test_a_reset_link_refuses_them(named_registry, client):
    user = make_user()
    token = new_link(user, "password_reset")
    url = f"/password/reset/{token}"
    response = post_form(client, url, {"password": "processor registry 2026",
                                       "confirm": "processor registry 2026"})
    assert response.status_code == 200
    assert REFUSED_MESSAGE in response.get_data(as_text=True)
    assert passwords.verify_password(User.get_by_id(user.id).password_hash, PASSWORD, "fast")


def test_the_cli_refuses_them(named_registry, runner):
    result = runner.invoke(args=["users", "create", "--email", "ops@example.test", "--role",
                                 "legal", "--password-stdin"], input="dpa-registry2026\n")
    assert result.exit_code == 2 and REFUSED_MESSAGE in result.output
    assert User.select().count() == 0


def test_an_unrelated_password_is_still_accepted(named_registry, client):
    user = make_user()
    login(client, user)
    new = "violet-anchor-meadow-42"
    response = post_form(client, "/account/password", {
        "current_password": PASSWORD, "password": new, "confirm": new}, page_url="/account")
    assert response.status_code == 302
