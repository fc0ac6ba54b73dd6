"""The REGISTRY_OIDC_* settings and the rule that decides whether the provider did MFA."""

import pytest

from registry.config import ConfigError, defaults
from registry.sso import matching
from registry.sso.settings import load

ISSUER = "https://login.example.test/realms/staff"


def _config(**overrides):
    config = defaults("/tmp/instance")
    config.update({"OIDC_ISSUER": ISSUER, "OIDC_CLIENT_ID": "registry",
                   "OIDC_CLIENT_SECRET": "secret"}, **overrides)
    return config


def test_single_sign_on_is_off_without_an_issuer():
    assert load(defaults("/tmp/instance")) is None


def test_a_complete_configuration_loads():
    settings = load(_config(OIDC_MFA_ACR_VALUES=["gold"], OIDC_ROLE_CLAIM="groups",
                            OIDC_ROLE_MAP="dpa-legal=legal, dpa-audit=auditor"))
    assert settings.issuer == ISSUER and settings.trust_mfa
    assert settings.mfa_acr_values == {"gold"}
    assert settings.role_map == {"dpa-legal": "legal", "dpa-audit": "auditor"}


@pytest.mark.parametrize("overrides, message", [
    ({"OIDC_CLIENT_SECRET": None}, "REGISTRY_OIDC_CLIENT_SECRET must be set"),
    ({"OIDC_ISSUER": "http://login.example.test"}, "must be an https:// URL"),
    ({"OIDC_SCOPES": "openid profile"}, "must include openid and email"),
    ({"OIDC_ROLE_MAP": "dpa-sub=subcontractor"}, "may give only admin, legal, auditor"),
    ({"OIDC_ROLE_MAP": "legal"}, "must read like"),
    ({"OIDC_AUTO_CREATE": True}, "needs REGISTRY_OIDC_ROLE_CLAIM and REGISTRY_OIDC_ROLE_MAP"),
])
def test_a_bad_configuration_stops_the_start_with_one_line(overrides, message):
    with pytest.raises(ConfigError, match=message):
        load(_config(**overrides))


def test_a_provider_on_loopback_may_use_http():
    assert load(_config(OIDC_ISSUER="http://127.0.0.1:8080/realms/staff")).issuer.startswith(
        "http://127.0.0.1")


@pytest.mark.parametrize("claims, expected", [
    ({"amr": ["pwd", "mfa"]}, True),  # Microsoft Entra ID
    ({"amr": ["pwd", "otp"]}, True),
    ({"amr": ["swk", "pin"]}, True),  # a passkey unlocked with a PIN
    ({"amr": ["hwk", "fpt"]}, True),
    ({"amr": ["pwd"]}, False),
    ({"amr": ["otp"]}, False),  # one factor, even if a strong one
    ({"amr": ["pwd", "kba"]}, False),  # two things known are one kind of factor
    ({"amr": "mfa"}, False),  # not a list: malformed, not trusted
    ({"acr": "gold"}, True),
    ({"acr": "silver", "amr": ["pwd"]}, False),
    ({}, False),
])
def test_which_tokens_show_multi_factor_authentication(claims, expected):
    settings = load(_config(OIDC_MFA_ACR_VALUES=["gold"]))
    assert matching.provider_did_mfa(claims, settings) is expected


def test_nothing_replaces_totp_when_the_provider_is_not_trusted():
    settings = load(_config(OIDC_TRUST_MFA=False, OIDC_MFA_ACR_VALUES=["gold"]))
    assert not matching.provider_did_mfa({"amr": ["mfa"], "acr": "gold"}, settings)


@pytest.mark.parametrize("claims, expected", [
    ({"email": "Ann@Example.test", "email_verified": True}, "ann@example.test"),
    ({"email": "ann@exämple.fi", "email_verified": True}, "ann@xn--exmple-cua.fi"),
    ({"email": "änn@example.fi", "email_verified": True}, None),
    ({"email": "not an address", "email_verified": True}, None),
    ({"email": "ann@example.test", "email_verified": "true"}, None),
    ({"email": "ann@example.test"}, None),
    ({"email_verified": True}, None),
])
def test_only_a_verified_e_mail_address_names_an_account(claims, expected):
    assert matching.verified_email(claims) == expected


def test_the_highest_mapped_role_wins():
    settings = load(_config(OIDC_ROLE_CLAIM="groups",
                            OIDC_ROLE_MAP="dpa-audit=auditor,dpa-admin=admin"))
    assert matching.role_from_claims({"groups": ["dpa-audit", "dpa-admin"]}, settings) == "admin"
    assert matching.role_from_claims({"groups": "dpa-audit"}, settings) == "auditor"
    assert matching.role_from_claims({"groups": ["staff"]}, settings) is None
