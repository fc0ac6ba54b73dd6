"""Forms of the sign-in and account pages (Flask-WTF: every one carries a CSRF token)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from registry.auth import totp
from registry.auth.passwords import MAX_LENGTH
from registry.languages import user_language_field
from registry.validation import email_error, stored_email

# Login fields accept more than the policy allows, so a too-long guess fails like any other.
LOGIN_PASSWORD_MAX = 1024


ENTER_CODE = _l("Enter the 6 digits shown in your authenticator app.")
ENTER_EMAIL = _l("Enter your e-mail address.")


def _six_digits(_form, field):
    if not totp.is_well_formed(field.data or ""):
        raise ValidationError(ENTER_CODE)


def plausible_email(_form, field):
    """Refuse what cannot be an e-mail address, or one that needs SMTPUTF8 (delivery is the
    real test)."""
    problem = email_error(field.data)
    if problem:
        raise ValidationError(problem)


def normalise_email(value):
    """Return an e-mail address as stored: trimmed, lower-cased, the domain in IDNA form."""
    return stored_email((value or "").lower())


class LoginForm(FlaskForm):
    """First step: e-mail address and password."""

    email = EmailField(_l("E-mail address"),
                       validators=[DataRequired(ENTER_EMAIL), Length(max=254)],
                       filters=[normalise_email])
    password = PasswordField(_l("Password"), validators=[
        DataRequired(_l("Enter your password.")), Length(max=LOGIN_PASSWORD_MAX)])
    submit = SubmitField(_l("Continue"))


class CodeForm(FlaskForm):
    """A six-digit code from the authenticator app."""

    code = StringField(_l("Six-digit code"),
                       validators=[DataRequired(ENTER_CODE), Length(max=64), _six_digits])
    submit = SubmitField(_l("Verify"))


class RecoveryForm(FlaskForm):
    """A recovery code instead of the app's code."""

    code = StringField(_l("Recovery code"), validators=[
        DataRequired(_l("Enter one of your recovery codes.")), Length(max=64)])
    submit = SubmitField(_l("Sign in"))


class NewPasswordForm(FlaskForm):
    """A new password, typed twice."""

    password = PasswordField(_l("New password"), validators=[
        DataRequired(_l("Choose a new password.")), Length(max=MAX_LENGTH)])
    confirm = PasswordField(_l("Repeat the new password"), validators=[
        DataRequired(_l("Type the new password again.")),
        EqualTo("password", message=_l("The two passwords differ."))])
    submit = SubmitField(_l("Set password"))


class ChangePasswordForm(NewPasswordForm):
    """The current password and a new one."""

    current_password = PasswordField(_l("Current password"), validators=[
        DataRequired(_l("Enter your current password.")), Length(max=LOGIN_PASSWORD_MAX)])
    submit = SubmitField(_l("Change password"))


class ForgotPasswordForm(FlaskForm):
    """The address to send a password-reset link to."""

    email = EmailField(_l("E-mail address"),
                       validators=[DataRequired(ENTER_EMAIL), Length(max=254)],
                       filters=[normalise_email])
    submit = SubmitField(_l("Send reset link"))


class RegenerateCodesForm(CodeForm):
    """A fresh code from the app, to replace the recovery codes."""

    submit = SubmitField(_l("Create new recovery codes"))


class LanguageForm(FlaskForm):
    """The language of the user's pages and reports (empty: the browser's)."""

    language = user_language_field()
    submit = SubmitField(_l("Save the language"))


class ConfirmForm(FlaskForm):
    """A button that only carries the CSRF token (end a session, sign out)."""

    submit = SubmitField(_l("Confirm"))


def add_errors(field, messages):
    """Attach messages to a field after validation (they show next to it)."""
    field.errors = list(field.errors or []) + list(messages)
