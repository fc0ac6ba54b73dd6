"""Validating an ID token (OpenID Connect Core 3.1.3.7) against the provider's keys.

The signature is checked with the provider's published JWKS (asymmetric algorithms only: a
token signed with the client secret, or with `none`, is refused), then the issuer, the audience
(and `azp` when there are several), the expiry, the issue time and the nonce. Times are read on
the registry's clock, so a test can move it; the leeway for clock skew is small.
"""

from joserfc import jwt
from joserfc.errors import JoseError

ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512",
              "EdDSA"]
LEEWAY_SECONDS = 60
MAX_AGE_SECONDS = 600  # an ID token issued longer ago than this is not from this attempt


class InvalidIdToken(Exception):
    """The ID token is not acceptable; the message says why (for the logs, not for people)."""


def _decode(raw, keys):
    try:
        return jwt.decode(raw, keys, algorithms=ALGORITHMS)
    except (JoseError, ValueError) as error:
        raise InvalidIdToken(f"signature: {type(error).__name__}: {error}") from None


def validate(raw, keys, *, issuer, client_id, nonce, now):
    """Return the claims of `raw` when valid at `now` (unix seconds), else raise InvalidIdToken.

    `keys` is a joserfc KeySet; a key id it does not hold raises InvalidIdToken too (the caller
    may fetch the JWKS again after a key rotation and retry).
    """
    claims = _decode(raw, keys).claims
    registry = jwt.JWTClaimsRegistry(
        now=int(now), leeway=LEEWAY_SECONDS,
        iss={"essential": True, "value": issuer},
        aud={"essential": True, "value": client_id},
        sub={"essential": True},
        exp={"essential": True},
        iat={"essential": True},
        nonce={"essential": True, "value": nonce},
    )
    try:
        registry.validate(claims)
    except JoseError as error:
        raise InvalidIdToken(f"claims: {type(error).__name__}: {error}") from None
    audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
    if len(audiences) > 1 and claims.get("azp") != client_id:
        raise InvalidIdToken("claims: several audiences and azp is not this client")
    if not now - MAX_AGE_SECONDS - LEEWAY_SECONDS <= claims["iat"] <= now + LEEWAY_SECONDS:
        raise InvalidIdToken(f"claims: issued at {claims['iat']}, now is {int(now)}")
    return claims
