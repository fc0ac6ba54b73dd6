"""Forms of the reference-data pages: attestation types, requirement groups, adequacy decisions."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional, Regexp, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from registry.compliance import EEA_COUNTRIES
from registry.dpas.forms import DATE_MESSAGE
from registry.models import AdequacyDecision, AttestationType, Requirement
from registry.subcontractors.countries import country_choices, country_names

SNAKE_CASE = r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$"
MAX_MONTHS = 120
VALIDITY_BASIS_CHOICES = (
    SelectChoice("issued_on", "From the issue date (certificates, tests, questionnaires)"),
    SelectChoice("period_end", "From the end of the report period (SOC 2, ISAE reports)"),
)
APPLIES_TO_CHOICES = (
    SelectChoice("low", "Low-risk subcontractors"),
    SelectChoice("medium", "Medium-risk subcontractors"),
    SelectChoice("high", "High-risk subcontractors"),
    SelectChoice("card_data", "Subcontractors that handle card data (any tier)"),
)


TYPE_FIELDS = ("name", "description", "validity_basis", "default_validity_months",
               "bridge_letter_after_months", "has_report_period", "has_stated_expiry",
               "counts_for_requirements", "uploadable")


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _snake_case(example):
    return Regexp(SNAKE_CASE, message=f"Use lowercase letters, digits and single underscores, "
                                      f"e.g. {example}.")


class MonthsField(IntegerField):
    """A whole number of months, with a message people understand when it is not one."""

    def process_formdata(self, valuelist):
        """Parse the number, or explain what is expected."""
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError("Enter a whole number of months, e.g. 12.") from None


def _months(label, description):
    return MonthsField(label, description=description, validators=[
        Optional(), NumberRange(1, MAX_MONTHS, f"Enter a number from 1 to {MAX_MONTHS}.")])


class AttestationTypeForm(FlaskForm):
    """Edit an attestation type: its name and how long evidence of its kind counts."""

    name = StringField(_l("Name"), filters=[_strip], validators=[
        InputRequired(_l("Enter the name people see, e.g. SOC 2 Type II report.")),
        Length(max=100)])
    description = TextAreaField(
        _l("Which dates mean what"), filters=[_strip], validators=[Length(max=2000)],
        description=_l("Shown to reviewers and subcontractors when they record one."))
    validity_basis = RadioField(_l("Default validity counts"), choices=VALIDITY_BASIS_CHOICES,
                                default="issued_on",
                                invalid_choice_message="Choose where the validity counts from.")
    default_validity_months = _months(
        "Default validity (months)",
        "How long a document counts when it states no expiry of its own. Leave empty when "
        "every document states its expiry.")
    bridge_letter_after_months = _months(
        "Bridge letter needed after (months)",
        "For reports: from this many months after the period end a bridge letter is also "
        "needed. Leave empty when the type has none.")
    has_report_period = BooleanField(_l(
        "The document covers a report period (start and end dates)"))
    has_stated_expiry = BooleanField(_l("The document states its own expiry date"))
    counts_for_requirements = BooleanField(
        _l("Counts for requirements (untick for information-only evidence such as a Type I "
           "report)"),
        default=True)
    uploadable = BooleanField(_l("Subcontractors may upload it in the portal"), default=True)

    def validate(self, extra_validators=None):
        """Validate the fields, then check that the validity settings agree with each other."""
        valid = super().validate(extra_validators)
        for field, message in self._inconsistencies():
            if not field.errors:
                field.errors = [*field.errors, message]
                valid = False
        return valid

    def _inconsistencies(self):
        if self.default_validity_months.errors or self.bridge_letter_after_months.errors:
            return
        default, bridge = self.default_validity_months.data, self.bridge_letter_after_months.data
        if default is None and not self.has_stated_expiry.data:
            yield (self.default_validity_months, "Enter a default validity, or tick that the "
                   "document states its own expiry: otherwise it would count forever.")
        if bridge is not None and default is None:
            yield (self.bridge_letter_after_months,
                   "A bridge letter needs a default validity to fall within.")
        elif bridge is not None and bridge >= default:
            yield (self.bridge_letter_after_months,
                   f"Must be less than the default validity ({default} months).")
        if bridge is not None and not self.has_report_period.data:
            yield (self.has_report_period, "A bridge letter follows a report period: tick this.")
        if self.validity_basis.data == "period_end" and not self.has_report_period.data:
            yield (self.has_report_period,
                   "Validity counted from the period end needs a report period: tick this.")

    def values(self):
        """Return the model values the form describes."""
        values = {name: self[name].data for name in TYPE_FIELDS}
        values["description"] = values["description"] or ""
        return values


class NewAttestationTypeForm(AttestationTypeForm):
    """Create an attestation type: its code is chosen once and never changes."""

    code = StringField(_l("Code"), filters=[_strip], description=(
        _l("A short, permanent identifier used in imports and exports, e.g. isae3000_type2.")),
        validators=[InputRequired(_l("Enter a code.")), Length(max=40),
                    _snake_case("isae3000_type2")])

    def validate_code(self, field):
        """Refuse a code another type already has."""
        if AttestationType.get_or_none(AttestationType.code == field.data):
            raise ValidationError(f"The code {field.data} is taken: choose another.")

    def values(self):
        """Return the model values, code included."""
        return {"code": self.code.data, **super().values()}


class RequirementForm(FlaskForm):
    """Edit a requirement group: its label and the attestation types that satisfy it."""

    label = StringField(_l("Label"), filters=[_strip], description=(
        _l("What subcontractors and staff read, e.g. Security certification or Type II report.")),
        validators=[InputRequired(_l("Enter a label.")), Length(max=200)])
    type_ids = SelectMultipleField(
        _l("Acceptable attestation types"), coerce=int, choices=[], validate_choice=False,
        description=_l("Any one accepted, current attestation of these types satisfies the group."),
        widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())

    def offer_types(self, kinds):
        """Offer `kinds` (AttestationType rows) as the checkboxes."""
        self.kinds = {kind.id: kind for kind in kinds}
        self.type_ids.choices = [SelectChoice(kind.id, kind.name) for kind in kinds]

    def validate_type_ids(self, field):
        """Require at least one known type, each of which counts for requirements."""
        if not field.data:
            raise ValidationError(_l("Choose at least one acceptable type."))
        if any(type_id not in self.kinds for type_id in field.data):
            raise ValidationError(_l("Choose from the types listed."))
        chosen = [self.kinds[type_id] for type_id in field.data]
        informative = [kind.name for kind in chosen if not kind.counts_for_requirements]
        if informative:
            raise ValidationError(f"{', '.join(informative)} does not count for requirements "
                                  "(see its attestation type); choose another type.")


class NewRequirementForm(RequirementForm):
    """Add a requirement group for a tier or for subcontractors handling card data."""

    key = StringField(_l("Key"), filters=[_strip], description=(
        _l("A short, permanent identifier, e.g. high_pentest.")),
        validators=[InputRequired(_l("Enter a key.")), Length(max=60),
                    _snake_case("high_pentest")])
    applies_to = RadioField(_l("Required of"), choices=APPLIES_TO_CHOICES,
                            invalid_choice_message="Choose whom the group applies to.")

    def validate_key(self, field):
        """Refuse a key another group (retired ones included) already has."""
        if Requirement.get_or_none(Requirement.key == field.data):
            raise ValidationError(f"The key {field.data} is taken: choose another.")

    def target(self):
        """Return (tier, applies_to_card_data) for the chosen option."""
        if self.applies_to.data == "card_data":
            return None, True
        return self.applies_to.data, False


class AdequacyDecisionForm(FlaskForm):
    """Edit an adequacy decision's dates and scope; end one by its last day in force."""

    decided_on = DateField(_l("Decided on"), validators=[InputRequired(DATE_MESSAGE)])
    valid_until = DateField(_l("Valid until"), validators=[Optional()], description=(
        _l("The last day the decision covers transfers. Leave empty when it runs until repealed; "
        "to end a decision, enter its last day.")))
    scope_note = TextAreaField(_l("Scope note"), filters=[_strip], validators=[Length(max=2000)],
                               description=_l("What it covers, e.g. commercial organisations only, "
                               "and the decision's number."))

    def validate_valid_until(self, field):
        """Refuse an end before the decision was taken."""
        if field.data and self.decided_on.data and field.data < self.decided_on.data:
            raise ValidationError(_l("Valid until cannot be before the decision date."))

    def values(self):
        """Return the model values the form describes."""
        return {"decided_on": self.decided_on.data, "valid_until": self.valid_until.data,
                "scope_note": self.scope_note.data or ""}


class NewAdequacyDecisionForm(AdequacyDecisionForm):
    """Record the adequacy decision for a country outside the EEA."""

    country_code = SelectField(_l("Country"), validate_choice=False, choices=[
        SelectChoice("", "Choose a country"),
        *(choice for choice in country_choices() if choice.value not in EEA_COUNTRIES)])

    def validate_country_code(self, field):
        """Require an ISO 3166-1 country outside the EEA with no open-ended decision on record.

        A country's earlier decisions stay as history; a new one (a renewal) is recorded once
        the one before it has an end date.
        """
        code = (field.data or "").strip().upper()
        if not code:
            raise ValidationError(_l("Choose the country."))
        if code not in country_names():
            raise ValidationError(f"{code} is not an ISO 3166-1 country code.")
        if code in EEA_COUNTRIES:
            raise ValidationError(_l("Countries in the EEA need no adequacy decision."))
        if AdequacyDecision.get_or_none((AdequacyDecision.country_code == code)
                                        & AdequacyDecision.valid_until.is_null()):
            raise ValidationError(_l("This country has a decision without an end date: edit that "
                                  "one, or give it its end date before recording a renewal."))
        if AdequacyDecision.get_or_none((AdequacyDecision.country_code == code)
                                        & (AdequacyDecision.decided_on == self.decided_on.data)):
            raise ValidationError(_l("This country has a decision of that date already."))
        field.data = code

    def values(self):
        """Return the model values, country included."""
        return {"country_code": self.country_code.data, **super().values()}
