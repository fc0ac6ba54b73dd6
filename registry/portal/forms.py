"""Forms of the portal: an upload form built for one attestation type, and the contact forms."""

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import DateField, EmailField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from registry.attestations import explain
from registry.attestations.validity import DATE_FIELDS, valid_until
from registry.formatting import long_date
from registry.pending_uploads import FileOrKept
from registry.validation import (
    LONG_TEXT_LENGTH,
    email_error,
    evidence_date_problems,
    missing_evidence_date_message,
    required_evidence_dates,
    stored_email,
)

DATE_MESSAGE = "Enter the date (day, month and year)."
STANDARD_VERSIONS = [SelectChoice("", _l("Choose the version")),
                     SelectChoice("2022", "ISO/IEC 27001:2022"),
                     SelectChoice("2013", "ISO/IEC 27001:2013")]
class PlainDateField(DateField):
    """A date input whose parse error tells the person what to type."""

    def process_formdata(self, valuelist):
        """Parse the date, replacing WTForms' terse error with a plain one."""
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError("Enter the date (day, month and year), e.g. 2026-03-31.") from None


def _date(label, hint, required, message=DATE_MESSAGE):
    validators = [InputRequired(message=message)] if required else [Optional()]
    return PlainDateField(label, validators=validators, description=hint)


class AttestationForm(FlaskForm):
    """The fields every upload has; `attestation_form` adds the dates a type needs."""

    issuer = StringField(
        _l("Issued by"),
        validators=[InputRequired(message=_l("Enter who issued it.")), Length(max=200)],
        description=_l("The certification body or audit firm (for a questionnaire: your company)."),
    )
    reference = StringField(
        _l("Certificate or report number"), validators=[Optional(), Length(max=200)],
        description=_l("As printed on the document, if it has one."),
    )
    scope = TextAreaField(
        _l("Scope"), validators=[Optional(), Length(max=LONG_TEXT_LENGTH)],
        description=_l("What it covers: the services, systems or locations named in it."),
    )
    file = FileField(_l("The PDF"), validators=[FileOrKept(_l("Choose the PDF file to upload."))],
                     description=_l("One PDF file, without a password."))
    submit = SubmitField(_l("Upload for review"))

    kind = None
    today = None

    def dates(self):
        """Return {date field: value} for the dates this form has."""
        return {name: self[name].data for name in DATE_FIELDS if name in self}

    def counts_until(self):
        """Return the engine's last valid day for the entered dates (None: no end)."""
        version = self["standard_version"].data if "standard_version" in self else None
        return valid_until(self.kind, standard_version=version or None, **self.dates())

    def validate(self, extra_validators=None):
        """Check each field, then that the dates are in order and still count."""
        if not super().validate(extra_validators):
            return False
        problems = evidence_date_problems(self.kind, self.dates(), self.today)
        if not problems:
            problems = self._lapsed_problem()
        for name, message in problems.items():
            self[name].errors.append(message)
        return not problems

    def _lapsed_problem(self):
        last_day = self.counts_until()
        if last_day is None or last_day >= self.today:
            return {}
        dates = self.dates()
        field = next(name for name in ("valid_until", "period_end", "issued_on")
                     if dates.get(name) or name == "issued_on")
        if "standard_version" in self and self.standard_version.data == "2013":
            field = "standard_version"
        return {field: _("With these details it counted only until %(day)s, which has passed. "
                         "Please upload your current %(kind)s.", day=long_date(last_day),
                         kind=self.kind.name)}


def attestation_form(kind, today, **options):
    """Return an upload form for attestation type `kind` with the dates it needs."""
    needed = required_evidence_dates(kind)

    def date_field(name, label, hint, required=True):
        # The dates evidence is dated by are refused missing in the importer's words.
        if name in needed:
            return _date(label, hint, True, missing_evidence_date_message(kind, name))
        return _date(label, hint, required)

    fields = {"issued_on": date_field("issued_on", *explain.issued_on_text(kind))}
    if kind.has_report_period:
        for name, (label, hint) in explain.period_texts(kind).items():
            fields[name] = date_field(name, label, hint)
    if kind.has_stated_expiry:
        label, hint = explain.valid_until_text(kind)
        fields["valid_until"] = date_field("valid_until", label, hint, required=False)
    if explain.has_standard_version(kind):
        label, hint = explain.standard_version_text(kind)
        fields["standard_version"] = SelectField(
            label, choices=STANDARD_VERSIONS, description=hint,
            validators=[InputRequired(
                message=_l("Choose the version printed on the certificate."))],
        )
    form_class = type(f"{kind.code.title()}Form", (AttestationForm,), fields)
    form = form_class(**options)
    form.kind, form.today = kind, today
    return form


def _stripped(value):
    return (value or "").strip()


def _email_address(_form, field):
    try:
        address = validate_email(field.data or "", check_deliverability=False).normalized
    except EmailNotValidError as error:
        raise ValidationError(
            _l("This is not an e-mail address: %(reason)s", reason=error)) from None
    problem = email_error(address)
    if problem:
        raise ValidationError(problem)
    field.data = stored_email(address)


class ContactForm(FlaskForm):
    """Add an address that receives the registry's reminders."""

    email = EmailField(
        _l("E-mail address"),
        validators=[InputRequired(message=_l("Enter an e-mail address.")), Length(max=254),
                    _email_address],
        filters=[_stripped],
        description=_l("A person or a shared mailbox (e.g. security@your-company.example)."),
    )
    submit = SubmitField(_l("Add address"))


class InviteForm(FlaskForm):
    """Invite a person of a subcontractor to the portal."""

    email = EmailField(
        _l("Their e-mail address"),
        validators=[InputRequired(message=_l("Enter an e-mail address.")), Length(max=254),
                    _email_address],
        filters=[_stripped],
        description=_l("They receive a link to choose a password; the link works for 72 hours."),
    )
    full_name = StringField(_l("Their name"), validators=[Optional(), Length(max=200)],
                            description=_l("Optional: used to greet them."))
    submit = SubmitField(_l("Send invitation"))


class RemoveContactForm(FlaskForm):
    """Remove one reminder address."""

    email = StringField(validators=[InputRequired(), Length(max=254)])
