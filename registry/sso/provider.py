"""Talking to the OpenID provider: discovery, its keys, the authorization URL, the code exchange.

The provider's metadata comes from `<issuer>/.well-known/openid-configuration` and is kept per
process for an hour; its keys (JWKS) too, fetched again at once when a token names a key id the
cached set lacks (the provider rotated its keys). Every call has a timeout, and every failure
becomes a ProviderError whose message can be shown to the person signing in.
"""

import threading
import time
from dataclasses import dataclass, field

import requests
from authlib.integrations.base_client import OAuthError
from authlib.integrations.requests_client import OAuth2Session
from flask_babel import gettext as _
from joserfc.jwk import KeySet

from registry.sso import id_token

TIMEOUT_SECONDS = 10
CACHE_SECONDS = 3600
REFETCH_KEYS_AFTER_SECONDS = 60


class ProviderError(Exception):
    """The provider could not be reached or refused; str() is fit to show, `detail` to log."""

    def __init__(self, message, detail=""):
        super().__init__(message)
        self.detail = detail


@dataclass
class _Cached:
    metadata: dict
    keys: KeySet
    fetched_at: float
    keys_fetched_at: float = field(default=0.0)


_cache = {}
_lock = threading.Lock()


def _get_json(url):
    try:
        response = requests.get(url, timeout=TIMEOUT_SECONDS,
                                headers={"Accept": "application/json"})
        response.raise_for_status()
        return response.json()
    except (requests.RequestException, ValueError) as error:
        raise ProviderError(_("The sign-in service cannot be reached. Try again in a moment, "
                              "or sign in with your password."),
                            f"{url}: {type(error).__name__}: {error}") from None


def _discover(issuer):
    metadata = _get_json(f"{issuer.rstrip('/')}/.well-known/openid-configuration")
    if metadata.get("issuer") != issuer:
        raise ProviderError(_("The sign-in service is not configured correctly."),
                            f"discovery names issuer {metadata.get('issuer')!r}, not {issuer!r}")
    needed = ("authorization_endpoint", "token_endpoint", "jwks_uri")
    if any(not metadata.get(name) for name in needed):
        raise ProviderError(_("The sign-in service is not configured correctly."),
                            f"discovery lacks one of {needed}")
    return metadata


def _key_set(jwks_uri):
    try:
        return KeySet.import_key_set(_get_json(jwks_uri))
    except (ValueError, KeyError, TypeError) as error:
        raise ProviderError(_("The sign-in service is not configured correctly."),
                            f"JWKS unreadable: {error}") from None


def _entry(issuer, refresh_keys=False):
    with _lock:
        cached = _cache.get(issuer)
        now = time.monotonic()
        if cached is None or now - cached.fetched_at > CACHE_SECONDS:
            metadata = _discover(issuer)
            cached = _cache[issuer] = _Cached(metadata, _key_set(metadata["jwks_uri"]), now, now)
        elif refresh_keys and now - cached.keys_fetched_at > REFETCH_KEYS_AFTER_SECONDS:
            cached.keys = _key_set(cached.metadata["jwks_uri"])
            cached.keys_fetched_at = now
        return cached


def forget(issuer):
    """Drop what is cached about `issuer` (tests start a new provider on another port)."""
    with _lock:
        _cache.pop(issuer, None)


def _session(settings, redirect_uri):
    return OAuth2Session(settings.client_id, settings.client_secret, scope=settings.scopes,
                         redirect_uri=redirect_uri, code_challenge_method="S256")


def authorization_url(settings, redirect_uri, *, state, nonce, code_verifier):
    """Return the URL that sends the browser to the provider (code flow, PKCE S256)."""
    endpoint = _entry(settings.issuer).metadata["authorization_endpoint"]
    url, _state = _session(settings, redirect_uri).create_authorization_url(
        endpoint, state=state, nonce=nonce, code_verifier=code_verifier)
    return url


def exchange_code(settings, redirect_uri, *, code, code_verifier):
    """Trade the authorization code for tokens; return the raw ID token."""
    endpoint = _entry(settings.issuer).metadata["token_endpoint"]
    try:
        token = _session(settings, redirect_uri).fetch_token(
            endpoint, code=code, code_verifier=code_verifier, timeout=TIMEOUT_SECONDS)
    except OAuthError as error:
        raise ProviderError(_("The sign-in service refused to complete the sign-in. "
                              "Start again."), f"token endpoint: {error.error}") from None
    except requests.RequestException as error:
        raise ProviderError(_("The sign-in service cannot be reached. Try again in a moment, "
                              "or sign in with your password."),
                            f"token endpoint: {type(error).__name__}: {error}") from None
    if not token.get("id_token"):
        raise ProviderError(_("The sign-in service did not say who signed in."),
                            "token response without id_token")
    return token["id_token"]


def validated_claims(settings, raw, *, nonce, now):
    """Validate an ID token with the provider's keys (fetched again once for an unknown key)."""
    try:
        return id_token.validate(raw, _entry(settings.issuer).keys, issuer=settings.issuer,
                                 client_id=settings.client_id, nonce=nonce, now=now)
    except id_token.InvalidIdToken as error:
        if not str(error).startswith("signature"):
            raise
    return id_token.validate(raw, _entry(settings.issuer, refresh_keys=True).keys,
                             issuer=settings.issuer, client_id=settings.client_id,
                             nonce=nonce, now=now)
