"""The REGISTRY_OIDC_* settings, checked once at start so that a bad one stops it with one line."""

from dataclasses import dataclass
from ipaddress import ip_address
from urllib.parse import urlsplit

from registry.config import ConfigError

STAFF_ROLES = ("admin", "legal", "auditor")


@dataclass(frozen=True)
class OidcSettings:
    """What the registry needs to know about its one OpenID provider."""

    issuer: str
    client_id: str
    client_secret: str
    provider_name: str
    scopes: str
    trust_mfa: bool
    mfa_acr_values: frozenset
    auto_create: bool
    role_claim: str | None
    role_map: dict  # claim value -> staff role


def _is_loopback(host):
    if host == "localhost":
        return True
    try:
        return ip_address(host or "").is_loopback
    except ValueError:
        return False


def _issuer(raw):
    parts = urlsplit(raw)
    if parts.scheme == "https" and parts.hostname:
        return raw
    if parts.scheme == "http" and _is_loopback(parts.hostname):
        return raw  # a provider on this machine (tests, a local Keycloak)
    raise ConfigError(f"REGISTRY_OIDC_ISSUER must be an https:// URL, got {raw!r}")


def parse_role_map(raw):
    """Parse `dpa-legal=legal,dpa-audit=auditor` into {claim value: role}; staff roles only."""
    mapping = {}
    for pair in (raw or "").split(","):
        if not pair.strip():
            continue
        value, separator, role = pair.rpartition("=")
        value, role = value.strip(), role.strip()
        if not separator or not value:
            raise ConfigError("REGISTRY_OIDC_ROLE_MAP must read like "
                              f"dpa-legal=legal,dpa-audit=auditor; got {pair.strip()!r}")
        if role not in STAFF_ROLES:
            raise ConfigError(f"REGISTRY_OIDC_ROLE_MAP may give only {', '.join(STAFF_ROLES)}; "
                              f"got {role!r} for {value!r}")
        mapping[value] = role
    return mapping


def load(config):
    """Return the OidcSettings of an app's config, or None when single sign-on is off.

    Raise ConfigError when it is half configured, or when automatic accounts lack a role mapping.
    """
    if not config.get("OIDC_ISSUER"):
        return None
    missing = [name for name in ("OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET") if not config.get(name)]
    if missing:
        raise ConfigError(f"REGISTRY_{missing[0]} must be set when REGISTRY_OIDC_ISSUER is")
    scopes = config["OIDC_SCOPES"].split()
    if "openid" not in scopes or "email" not in scopes:
        raise ConfigError("REGISTRY_OIDC_SCOPES must include openid and email, "
                          f"got {config['OIDC_SCOPES']!r}")
    role_map = parse_role_map(config.get("OIDC_ROLE_MAP"))
    if config["OIDC_AUTO_CREATE"] and not (config.get("OIDC_ROLE_CLAIM") and role_map):
        raise ConfigError("REGISTRY_OIDC_AUTO_CREATE needs REGISTRY_OIDC_ROLE_CLAIM and "
                          "REGISTRY_OIDC_ROLE_MAP: a new account's role comes from a claim")
    return OidcSettings(
        issuer=_issuer(config["OIDC_ISSUER"]),
        client_id=config["OIDC_CLIENT_ID"],
        client_secret=config["OIDC_CLIENT_SECRET"],
        provider_name=config["OIDC_PROVIDER_NAME"],
        scopes=" ".join(scopes),
        trust_mfa=config["OIDC_TRUST_MFA"],
        mfa_acr_values=frozenset(config.get("OIDC_MFA_ACR_VALUES") or ()),
        auto_create=config["OIDC_AUTO_CREATE"],
        role_claim=config.get("OIDC_ROLE_CLAIM") or None,
        role_map=role_map,
    )
