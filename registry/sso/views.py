"""The two steps of an OpenID Connect sign-in: off to the provider, and back with a code.

Each attempt gets its own `state`, `nonce` and PKCE verifier, kept in this browser's session
(before sign-in that is the signed, HttpOnly visitor cookie of registry/auth/sessions.py, so no
anonymous visitor fills the session table) and taken out of it when the provider answers: an
answer is accepted once, by the browser that started it, within ATTEMPT_SECONDS.
"""

import hmac
import re
import secrets

from flask import abort, current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from registry.auth import operations as auth_operations
from registry.auth import sessions
from registry.auth.access import SIGN_IN_LIMIT, public
from registry.auth.landing import landing_url, safe_next
from registry.clock import unix_now
from registry.extensions import limiter
from registry.sso import blueprint, current_settings, matching, operations, provider
from registry.sso.id_token import InvalidIdToken

ATTEMPT_KEY = "oidc_attempt"
ATTEMPT_SECONDS = 15 * 60
PROVIDER_ERROR_CODE = re.compile(r"[a-z_]{1,40}")
AUDITED_ON_THE_ACCOUNT = ("subcontractor", "inactive", "throttled")


class Refused(Exception):
    """The attempt ends here: `reason` goes to the audit trail, the message to the person."""

    def __init__(self, reason, message, detail=""):
        super().__init__(message)
        self.reason = reason
        self.detail = detail


def _settings():
    settings = current_settings()
    if settings is None:
        abort(404)
    return settings


def _redirect_uri():
    """The callback's address as registered at the provider: under REGISTRY_BASE_URL."""
    return current_app.config["BASE_URL"] + url_for("sso.callback")


def _back_to_login(message):
    flash(message, "error")
    return redirect(url_for("auth.login"))


@blueprint.post("/login")
@limiter.limit(SIGN_IN_LIMIT)
@public
def start():
    """Send the browser to the provider with a new state, nonce and PKCE challenge."""
    settings = _settings()
    if current_user.is_authenticated:
        return redirect(landing_url(current_user))
    attempt = {"state": secrets.token_urlsafe(32), "nonce": secrets.token_urlsafe(32),
               "verifier": secrets.token_urlsafe(64), "started_at": int(unix_now())}
    try:
        url = provider.authorization_url(settings, _redirect_uri(), state=attempt["state"],
                                         nonce=attempt["nonce"],
                                         code_verifier=attempt["verifier"])
    except provider.ProviderError as error:
        current_app.logger.warning("single sign-on: %s", error.detail)
        return _back_to_login(str(error))
    session[ATTEMPT_KEY] = attempt
    next_target = safe_next(request.args.get("next"))
    if next_target:
        session["next"] = next_target
    return redirect(url)


def _provider_said_no(code):
    if code == "access_denied":
        return Refused("provider_error", _("The sign-in was cancelled, or your organisation's "
                                           "sign-in service did not allow it."), code)
    shown = code if PROVIDER_ERROR_CODE.fullmatch(code) else "unknown"
    return Refused("provider_error", _("Your organisation's sign-in service could not sign you "
                                       "in (%(code)s). Try again.", code=shown), code[:100])


def _checked_attempt(settings, attempt):
    """Return the code of the provider's answer when it answers this browser's attempt."""
    args = request.args
    if attempt is None or not hmac.compare_digest(str(args.get("state", "")), attempt["state"]):
        raise Refused("state", _("This sign-in was not started here, or was already used. "
                                 "Start again."))
    if args.get("error"):
        raise _provider_said_no(args["error"])
    if unix_now() - attempt["started_at"] > ATTEMPT_SECONDS:
        raise Refused("attempt_expired", _("The sign-in took too long. Start again."))
    if "iss" in args and args["iss"] != settings.issuer:  # RFC 9207 mix-up defence
        raise Refused("issuer", _("This answer did not come from the configured sign-in "
                                  "service. Start again."), args["iss"][:200])
    if not args.get("code"):
        raise Refused("no_code", _("The sign-in service sent no result. Start again."))
    return args["code"]


def _claims(settings, attempt):
    code = _checked_attempt(settings, attempt)
    try:
        raw = provider.exchange_code(settings, _redirect_uri(), code=code,
                                     code_verifier=attempt["verifier"])
        return provider.validated_claims(settings, raw, nonce=attempt["nonce"], now=unix_now())
    except provider.ProviderError as error:
        raise Refused("provider_unavailable", str(error), error.detail) from None
    except InvalidIdToken as error:
        raise Refused("id_token", _("The sign-in service's answer could not be verified. "
                                    "Start again."), str(error)) from None


def _account(settings, claims):
    """Return the staff account the claims sign in, made now if allowed; else raise Refused."""
    email = matching.verified_email(claims)
    if email is None:
        refusal = matching.refusal("email_not_verified")
        raise Refused(refusal.reason, refusal.message, str(claims.get("email", ""))[:254])
    user = matching.find_user(email)
    if user is None:
        role = matching.role_from_claims(claims, settings) if settings.auto_create else None
        if role is None:
            refusal = matching.refusal("no_account")
            raise Refused(refusal.reason, refusal.message, email)
        user = operations.create_account(email, str(claims.get("name") or ""), role, claims)
    for reason, refused in (("subcontractor", user.role not in matching.STAFF_ROLES),
                            ("inactive", not sessions.may_sign_in(user))):
        if refused:
            operations.record_refused_account(user, reason, claims)
            raise Refused(reason, matching.refusal(reason).message, email)
    if auth_operations.is_throttled(user):
        auth_operations.record_refusal(user, operations.FACTOR)
        raise Refused("throttled", _("Too many failed attempts. Wait a few minutes and try "
                                     "again."), email)
    return user


@blueprint.get("/callback")
@limiter.limit(SIGN_IN_LIMIT)
@public
def callback():
    """Check the provider's answer and the ID token, then sign the staff member in."""
    settings = _settings()
    attempt = session.pop(ATTEMPT_KEY, None)
    try:
        claims = _claims(settings, attempt)
        user = _account(settings, claims)
    except Refused as refused:
        if refused.reason not in AUDITED_ON_THE_ACCOUNT:
            operations.record_refused_attempt(refused.reason, refused.detail)
        return _back_to_login(str(refused))
    mfa_done = matching.provider_did_mfa(claims, settings)
    operations.accept(user, claims, mfa_done)
    if mfa_done:
        return redirect(safe_next(session.pop("next", None)) or landing_url(user))
    if user.totp_enabled_at is None:
        return redirect(url_for("auth.enroll"))
    return redirect(url_for("auth.totp_step"))
