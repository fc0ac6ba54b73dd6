"""ID token checks with keys made here: what a forged or stale token gets."""

import time

import pytest
from joserfc import jwt
from joserfc.jwk import KeySet, OctKey, RSAKey

from registry.sso.id_token import InvalidIdToken, validate

ISSUER = "https://login.example.test"
CLIENT = "dpa-registry"
NOW = int(time.time())


@pytest.fixture(scope="module")
def provider_key():
    return RSAKey.generate_key(2048, parameters={"kid": "k1"}, private=True)


def _claims(**overrides):
    return {"iss": ISSUER, "aud": CLIENT, "sub": "u1", "nonce": "n1", "iat": NOW,
            "exp": NOW + 300, **overrides}


def _check(token, key, **expected):
    published = KeySet([RSAKey.import_key(key.as_dict(private=False))])
    return validate(token, published, issuer=ISSUER, client_id=CLIENT,
                    nonce=expected.get("nonce", "n1"), now=expected.get("now", NOW))


def _signed(key, **overrides):
    return jwt.encode({"alg": "RS256", "kid": "k1"}, _claims(**overrides), key)


def test_a_good_token_gives_its_claims(provider_key):
    assert _check(_signed(provider_key), provider_key)["sub"] == "u1"


@pytest.mark.parametrize("overrides, why", [
    ({"iss": "https://evil.example.test"}, "iss"),
    ({"aud": "another-client"}, "aud"),
    ({"aud": [CLIENT, "another-client"]}, "azp"),
    ({"nonce": "n2"}, "nonce"),
    ({"exp": NOW - 120}, "exp"),
    ({"iat": NOW + 600, "exp": NOW + 900}, "issued"),
    ({"iat": NOW - 3600, "exp": NOW + 300}, "issued"),
])
def test_wrong_claims_are_refused(provider_key, overrides, why):
    with pytest.raises(InvalidIdToken, match=why):
        _check(_signed(provider_key, **overrides), provider_key)


def test_another_key_is_refused(provider_key):
    stranger = RSAKey.generate_key(2048, parameters={"kid": "k1"}, private=True)
    with pytest.raises(InvalidIdToken, match="signature"):
        _check(_signed(stranger), provider_key)


def test_a_token_signed_with_the_client_secret_is_refused(provider_key):
    secret = OctKey.import_key("the-client-secret-the-client-secret")
    token = jwt.encode({"alg": "HS256", "kid": "k1"}, _claims(), secret)
    with pytest.raises(InvalidIdToken, match="signature"):
        _check(token, provider_key)


@pytest.mark.parametrize("token", ["", "not.a.token", "a.b", "eyJhbGciOiJub25lIn0.e30."])
def test_garbage_is_refused(provider_key, token):
    with pytest.raises(InvalidIdToken):
        _check(token, provider_key)
