"""E-mails of the sign-in area, composed from templates/email/auth/ and queued in the outbox.

Call them inside the transaction of the change they tell about: the message commits with it
and is delivered outside the request (registry.mail.outbox), so no request waits for the mail
server. A failed delivery shows on the admins' mail page, never with the link.
"""

from flask_babel import lazy_gettext as _l

from registry.mail import compose, external_url, send_or_log, user_language


def invitation_link(token):
    """Return the absolute invitation link (under BASE_URL) for a token."""
    return external_url("auth.accept_invitation", token=token)


def send_invitation(user, token, invited_by=None):
    """Mail the invitation link; True when it was handed over for delivery."""
    message = compose([user.email], _l("You are invited to the portal"), "auth/invitation",
                      language=user_language(user),
                      user=user, link=invitation_link(token), invited_by=invited_by,
                      hours=72)
    return send_or_log(message, "invitation")


def send_password_reset(user, token):
    """Mail a password-reset link."""
    link = external_url("auth.reset_password", token=token)
    message = compose([user.email], _l("Reset your password"), "auth/password_reset",
                      language=user_language(user),
                      user=user, link=link, minutes=60)
    return send_or_log(message, "password reset")


def send_reused_code_warning(user, ip):
    """Tell the user that a code of theirs was used twice (someone may know their password)."""
    message = compose([user.email], _l("A sign-in code of yours was used twice"),
                      "auth/reused_code", language=user_language(user), user=user, ip=ip)
    return send_or_log(message, "reused code warning")


def send_recovery_code_used(user, remaining, ip):
    """Tell the user that one of their recovery codes was used."""
    message = compose([user.email], _l("A recovery code was used to sign in"),
                      "auth/recovery_code_used", language=user_language(user), user=user,
                      remaining=remaining, ip=ip)
    return send_or_log(message, "recovery code used")


def send_mfa_enrolled(user, ip):
    """Tell the user that an authenticator app was set up for their account."""
    message = compose([user.email], _l("An authenticator app was set up for your account"),
                      "auth/mfa_enrolled", language=user_language(user), user=user, ip=ip)
    return send_or_log(message, "authenticator enrolled")


def send_recovery_codes_regenerated(user, ip):
    """Tell the user that new recovery codes were created and other sessions ended."""
    message = compose([user.email], _l("New recovery codes were created for your account"),
                      "auth/recovery_codes_regenerated", language=user_language(user),
                      user=user, ip=ip)
    return send_or_log(message, "recovery codes regenerated")


def send_mfa_reset(user, reset_by):
    """Tell the user that their authenticator was removed (by an administrator or the CLI)."""
    message = compose([user.email], _l("Your authenticator app was reset"), "auth/mfa_reset",
                      language=user_language(user),
                      user=user, reset_by=reset_by)
    return send_or_log(message, "authenticator reset")
