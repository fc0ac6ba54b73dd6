"""The password policy and argon2id hashing (pure, no database)."""

import pytest

from registry.auth import passwords

EMAIL = "maija.virtanen@example.fi"


@pytest.mark.parametrize("password, problem", [
    ("", "at least 12"),
    ("short pass", "at least 12"),
    ("elevenchars", "at least 12"),
    ("password1234", "commonly used"),
    ("PASSWORD1234", "commonly used"),
    ("qwertyuiop123", "commonly used"),
    ("maija.virtanen-secret-99", "e-mail name"),
    ("Virtanen bought a boat", "e-mail name"),
    ("aaaaaaaaaaaaaaaa", "Try a longer phrase"),
    ("x" * 257, "at most 256"),
])
def test_policy_refuses(password, problem):
    problems = passwords.policy_problems(password, EMAIL)
    assert problems and problem in problems[0]


@pytest.mark.parametrize("password", [
    "correct horse battery staple",
    "kuusi kissaa ja koira",
    "Tr0ub4dor&3-harbour",
    "ÄÖå unicode lantern 🌙 phrase",
    "y" * 3 + " a very long but fine passphrase " + "z" * 200,
])
def test_policy_accepts_long_uncommon_passwords_without_composition_rules(password):
    assert passwords.policy_problems(password, EMAIL) == []


def test_twelve_characters_are_enough_and_128_are_accepted():
    assert passwords.policy_problems("brisk-otter-9", EMAIL) == []
    long_password = ("lantern orbit harbour " * 6)[:128]
    assert len(long_password) == 128
    assert passwords.policy_problems(long_password, EMAIL) == []


def test_hash_is_argon2id_and_verifies_exactly_as_typed():
    password = "  spaces kept, " + "é" * 120 + " and the very last character matters!"
    hashed = passwords.hash_password(password, "fast")
    assert hashed.startswith("$argon2id$")
    assert passwords.verify_password(hashed, password, "fast")
    assert not passwords.verify_password(hashed, password.strip(), "fast")
    assert not passwords.verify_password(hashed, password[:-1] + "?", "fast")
    assert not passwords.verify_password(hashed, password[:72], "fast")


def test_owasp_profile_uses_the_owasp_parameters():
    hashed = passwords.hash_password("quiet-harbour-lantern", "owasp")
    assert "$m=19456,t=2,p=1$" in hashed


def test_verify_without_hash_says_no_and_unknown_profile_is_refused():
    assert passwords.verify_password(None, "anything", "fast") is False
    assert passwords.verify_password("not-a-hash", "anything", "fast") is False
    with pytest.raises(ValueError):
        passwords.hasher("weak")
