"""The controller form: Y-tunnus check digit for Finnish companies, e-mail syntax for contacts."""

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, Regexp, ValidationError

from registry.form_validation import finnish_business_id
from registry.languages import company_language_field
from registry.models import CONTROLLER_STATUSES
from registry.validation import (
    controller_end_error,
    email_error,
    stored_business_id,
    stored_email,
    stored_language,
)


def split_lines(value):
    """Return the non-empty, trimmed lines (or comma-separated items) of a text area."""
    items = (value or "").replace(",", "\n").splitlines()
    return [item.strip() for item in items if item.strip()]


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _upper(value):
    return value.strip().upper() if isinstance(value, str) else value


class ControllerForm(FlaskForm):
    """Create or edit a controller (a client organisation)."""

    name = StringField(_l("Name"), filters=[_strip], validators=[
        InputRequired(_l("Enter the organisation's name.")), Length(max=200)])
    country = StringField(
        _l("Country"), default="FI", filters=[_upper],
        description=_l("Two-letter ISO code, e.g. FI, SE, DE."),
        validators=[InputRequired(_l("Enter the country code.")),
                    Regexp(r"^[A-Z]{2}$", message=_l("Use a two-letter code such as FI."))])
    business_id = StringField(
        _l("Business ID"), filters=[_strip], validators=[Length(max=50), finnish_business_id()],
        description=_l("For a Finnish company the Y-tunnus, e.g. 1234567-8."))
    language = company_language_field()
    privacy_contacts = TextAreaField(
        _l("Privacy contacts"),
        validators=[InputRequired(_l("Enter at least one e-mail address."))],
        description=_l("E-mail addresses that receive sub-processor notices, one per line."))
    services = TextAreaField(
        _l("Services used"), validators=[Optional(), Length(max=2000)],
        description=_l("One per line, e.g. online store, reward shop, voucher redemption."))
    ordered_via = StringField(
        _l("Ordered via"), filters=[_strip], validators=[Optional(), Length(max=200)],
        description=_l("The client that ordered on this controller's behalf, when they differ."))
    status = SelectField(_l("Status"), default="active", choices=[
        SelectChoice(status, status.title()) for status in CONTROLLER_STATUSES])
    ended_on = DateField(_l("Ended on"), validators=[Optional()],
                         description=_l("Required when the status is Ended."))
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=5000)])
    submit = SubmitField(_l("Save"))

    def validate_privacy_contacts(self, field):
        """Check each address's syntax and keep the normalised forms."""
        addresses = []
        for address in split_lines(field.data):
            try:
                normalized = validate_email(address, check_deliverability=False).normalized
            except EmailNotValidError as error:
                raise ValidationError(
                    f"“{address}” is not a valid e-mail address: {error}") from None
            problem = email_error(normalized)
            if problem:
                raise ValidationError(problem)
            addresses.append(stored_email(normalized))
        if not addresses:
            raise ValidationError(_l("Enter at least one e-mail address."))
        self.contact_list = addresses

    def validate(self, extra_validators=None):
        """Validate the fields, then require the end date of an ended controller."""
        valid = super().validate(extra_validators)
        message = controller_end_error(self.status.data, self.ended_on.data)
        if message and not self.ended_on.errors:
            self.ended_on.errors = [*self.ended_on.errors, message]
            valid = False
        return valid

    def values(self):
        """Return the model values the form describes."""
        ended = self.status.data == "ended"
        return {
            "name": self.name.data,
            "country": self.country.data,
            "business_id": stored_business_id(self.country.data, self.business_id.data),
            "language": stored_language(self.country.data, self.language.data),
            "privacy_contacts": self.contact_list,
            "services": split_lines(self.services.data),
            "ordered_via": self.ordered_via.data or None,
            "status": self.status.data,
            "ended_on": self.ended_on.data if ended else None,
            "notes": self.notes.data or "",
        }

    @classmethod
    def for_controller(cls, controller):
        """Return the form filled with a controller's current values (lists one per line)."""
        form = cls(formdata=None, obj=controller)
        # WTForms prefers `obj` attributes over keyword data, so the lists are set here.
        form.privacy_contacts.data = "\n".join(controller.privacy_contacts)
        form.services.data = "\n".join(controller.services)
        return form
