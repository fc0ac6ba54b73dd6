"""Forms of the sign-in and account pages (Flask-WTF: every one carries a CSRF token)."""

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from registry.auth import totp
from registry.auth.passwords import MAX_LENGTH
from registry.languages import user_language_field
from registry.validation import email_error, stored_email

# Login fields accept more than the policy allows, so a too-long guess fails like any other.
LOGIN_PASSWORD_MAX = 1024


ENTER_CODE = "Enter the 6 digits shown in your authenticator app."
ENTER_EMAIL = "Enter your e-mail address."


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

    email = EmailField("E-mail address",
                       validators=[DataRequired(ENTER_EMAIL), Length(max=254)],
                       filters=[normalise_email])
    password = PasswordField("Password", validators=[
        DataRequired("Enter your password."), Length(max=LOGIN_PASSWORD_MAX)])
    submit = SubmitField("Continue")


class CodeForm(FlaskForm):
    """A six-digit code from the authenticator app."""

    code = StringField("Six-digit code",
                       validators=[DataRequired(ENTER_CODE), Length(max=64), _six_digits])
    submit = SubmitField("Verify")


class RecoveryForm(FlaskForm):
    """A recovery code instead of the app's code."""

    code = StringField("Recovery code", validators=[
        DataRequired("Enter one of your recovery codes."), Length(max=64)])
    submit = SubmitField("Sign in")


class NewPasswordForm(FlaskForm):
    """A new password, typed twice."""

    password = PasswordField("New password", validators=[
        DataRequired("Choose a new password."), Length(max=MAX_LENGTH)])
    confirm = PasswordField("Repeat the new password", validators=[
        DataRequired("Type the new password again."),
        EqualTo("password", message="The two passwords differ.")])
    submit = SubmitField("Set password")


class ChangePasswordForm(NewPasswordForm):
    """The current password and a new one."""

    current_password = PasswordField("Current password", validators=[
        DataRequired("Enter your current password."), Length(max=LOGIN_PASSWORD_MAX)])
    submit = SubmitField("Change password")


class ForgotPasswordForm(FlaskForm):
    """The address to send a password-reset link to."""

    email = EmailField("E-mail address",
                       validators=[DataRequired(ENTER_EMAIL), Length(max=254)],
                       filters=[normalise_email])
    submit = SubmitField("Send reset link")


class RegenerateCodesForm(CodeForm):
    """A fresh code from the app, to replace the recovery codes."""

    submit = SubmitField("Create new recovery codes")


class LanguageForm(FlaskForm):
    """The language of the user's pages and reports (empty: the browser's)."""

    language = user_language_field()
    submit = SubmitField("Save the language")


class ConfirmForm(FlaskForm):
    """A button that only carries the CSRF token (end a session, sign out)."""

    submit = SubmitField("Confirm")


def add_errors(field, messages):
    """Attach messages to a field after validation (they show next to it)."""
    field.errors = list(field.errors or []) + list(messages)
