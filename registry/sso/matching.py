"""Who a validated ID token signs in, and whether the provider's sign-in replaces the TOTP step.

A token names an account by its e-mail address, and only when the provider says it verified
that address (`email_verified` true). It signs in an existing, active staff account; a
subcontractor's account keeps password + TOTP. Accounts are made from a token only when an
admin turned REGISTRY_OIDC_AUTO_CREATE on, with the role read from a claim through the map.
"""

from dataclasses import dataclass

from flask_babel import gettext as _
from peewee import fn

from registry.auth.forms import normalise_email
from registry.models import User
from registry.sso.settings import STAFF_ROLES
from registry.validation import email_error

# RFC 8176 authentication method references, by kind of factor. The provider did multi-factor
# authentication when it says so (`mfa`) or names methods of two different kinds.
KNOWLEDGE = {"pwd", "pin", "kba"}
POSSESSION = {"otp", "hwk", "swk", "sms", "tel", "sc", "pop"}
INHERENCE = {"fpt", "face", "iris", "retina", "vbm", "user"}


@dataclass(frozen=True)
class Refusal:
    """Why a token signs nobody in: `reason` for the audit trail, `message` for the person."""

    reason: str
    message: str


def provider_did_mfa(claims, settings):
    """Tell whether the ID token shows multi-factor authentication the registry trusts."""
    if not settings.trust_mfa:
        return False
    if claims.get("acr") and claims["acr"] in settings.mfa_acr_values:
        return True
    methods = claims.get("amr")
    if not isinstance(methods, list):
        return False
    methods = {method for method in methods if isinstance(method, str)}
    if "mfa" in methods:
        return True
    kinds = [bool(methods & kind) for kind in (KNOWLEDGE, POSSESSION, INHERENCE)]
    return sum(kinds) >= 2


def verified_email(claims):
    """Return the token's e-mail address as the registry stores addresses (lower-cased, the
    domain in IDNA form) when the provider verified it and the registry can mail it; else None."""
    email = claims.get("email")
    if not isinstance(email, str) or claims.get("email_verified") is not True:
        return None
    return None if email_error(email) else normalise_email(email)


def role_from_claims(claims, settings):
    """Return the highest staff role the role claim maps to, or None."""
    values = claims.get(settings.role_claim) if settings.role_claim else None
    if isinstance(values, str):
        values = [values]
    if not isinstance(values, list):
        return None
    roles = {settings.role_map[value] for value in values
             if isinstance(value, str) and value in settings.role_map}
    return next((role for role in STAFF_ROLES if role in roles), None)


def refusal(reason):
    """Return the Refusal for `reason`, its message in the request's language."""
    messages = {
        "email_not_verified": _("Your organisation's sign-in service did not confirm your "
                                "e-mail address, so it cannot sign you in here."),
        "no_account": _("No staff account in this registry has your e-mail address. Ask an "
                        "administrator to invite you."),
        "inactive": _("This account cannot sign in. Ask an administrator."),
        "subcontractor": _("Subcontractor accounts sign in with their e-mail address, password "
                           "and authenticator code, not with single sign-on."),
    }
    return Refusal(reason, messages[reason])


def find_user(email):
    """Return the account with `email` (compared without case), or None."""
    return User.get_or_none(fn.LOWER(User.email) == email)
