"""DPA forms: the draft (terms, Art. 28(3) description and checklist), signing, termination."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from registry.compliance import CLAUSE_KEYS
from registry.compliance.requests import DEFAULT_FORWARD_DAYS
from registry.form_validation import objection_period, past_date, refuse
from registry.labels import clause_choice
from registry.models import RETURN_OR_DELETION
from registry.pending_uploads import FileOrKept
from registry.validation import dpa_expiry_error, return_or_deletion_error

DESCRIPTION_FIELDS = {
    "subject_matter": _l("Subject-matter of the processing"),
    "duration": _l("Duration of the processing"),
    "nature_and_purpose": _l("Nature and purpose of the processing"),
    "personal_data_types": _l("Types of personal data"),
    "data_subject_categories": _l("Categories of data subjects"),
}
RETURN_OR_DELETION_LABELS = {
    "return": _l("Return the personal data to the controller"),
    "deletion": _l("Delete the personal data"),
    "return_then_deletion": _l("Return the data, then delete every copy"),
}
AUTHORISATION_CHOICES = [
    SelectChoice("general",
                 _l("General: add sub-processors after notice, unless the controller objects")),
    SelectChoice("specific",
                 _l("Specific: every sub-processor needs the controller's written approval")),
]
DATE_MESSAGE = _l("Enter the date (day, month and year).")


class DpaForm(FlaskForm):
    """A DPA's terms, description and clause checklist (a draft or a new version)."""

    title = StringField(_l("Title"),
                        validators=[InputRequired(_l("Enter a title.")), Length(max=200)],
                        default="Data processing agreement")
    subprocessor_authorisation = RadioField(
        _l("Authorisation of sub-processors"), choices=AUTHORISATION_CHOICES, default="general")
    objection_period_days = IntegerField(
        _l("Objection period (days)"), default=30,
        description=_l("How long the controller may object after a sub-processor notice."),
        validators=[InputRequired(_l("Enter the number of days.")), objection_period])
    breach_notice_hours = IntegerField(
        _l("Breach notice (hours)"), validators=[Optional(), NumberRange(
            1, 720, _l("Enter the hours promised, from 1 to 720."))],
        description=_l(
            "How soon you promised to tell the controller about a personal data breach."))
    dsr_forward_days = IntegerField(
        _l("Forward data-subject requests within (working days)"), default=DEFAULT_FORWARD_DAYS,
        validators=[InputRequired(_l("Enter the number of working days.")), NumberRange(
            1, 30, _l("Enter the working days agreed, from 1 to 30."))],
        description=_l("How soon a request a person sends to you must reach the controller "
                    "(Art. 28(3)(e)); Monday to Friday count."))
    return_or_deletion_days = IntegerField(
        _l("Return or delete the data within (days)"), default=30,
        validators=[InputRequired(_l("Enter the number of days.")), NumberRange(
            0, 365, _l("Enter the days agreed, from 0 to 365."))],
        description=_l("Days after the end of the contract (or of a sub-processor's engagement) "
                    "to return or delete the data and show its certificate (Art. 28(3)(g))."))
    expires_on = DateField(_l("Expires on"), validators=[Optional()],
                           description=_l("Leave empty for an open-ended agreement."))
    review_due_on = DateField(_l("Review due on"), validators=[Optional()])
    submit = SubmitField(_l("Save the draft"))

    def values(self):
        """Return the model values the form describes."""
        values = {name: self[name].data for name in (
            "title", "subprocessor_authorisation", "objection_period_days",
            "breach_notice_hours", "dsr_forward_days", "return_or_deletion_days", "expires_on",
            "review_due_on", *DESCRIPTION_FIELDS)}
        values.update({name: (values[name] or "").strip() for name in DESCRIPTION_FIELDS})
        values["clauses"] = {key: bool(self[f"clause_{key}"].data) for key in CLAUSE_KEYS}
        return values

    @classmethod
    def from_dpa(cls, dpa):
        """Return the form filled with a DPA's values (to edit it or to start a new version)."""
        return cls(formdata=None, obj=dpa)

    def clause_fields(self):
        """Return the checklist fields in Art. 28(3) order."""
        return [self[f"clause_{key}"] for key in CLAUSE_KEYS]

    def description_fields(self):
        """Return the Art. 28(3) description fields."""
        return [self[name] for name in DESCRIPTION_FIELDS]


for _name, _label in DESCRIPTION_FIELDS.items():
    setattr(DpaForm, _name, TextAreaField(_label, validators=[Optional(), Length(max=5000)]))
for _key in CLAUSE_KEYS:
    setattr(DpaForm, f"clause_{_key}",
            BooleanField(clause_choice(_key, capitalised=True)))


class SignForm(FlaskForm):
    """The signature date, when it is in force, and the signed PDF."""

    signed_on = DateField(_l("Signed on"),
                          validators=[InputRequired(DATE_MESSAGE), past_date("signed_on")])
    effective_from = DateField(_l("In force from"), validators=[Optional()],
                               description=_l("Leave empty when it is in force from signing."))
    expires_on = DateField(_l("Expires on"), validators=[Optional()],
                           description=_l("Leave empty for an open-ended agreement."))
    review_due_on = DateField(_l("Review due on"), validators=[Optional()])
    document = FileField(_l("Signed PDF"), validators=[FileOrKept("Choose the signed PDF.")],
                         description=_l("The agreement as signed by both parties, one PDF file."))
    submit = SubmitField(_l("Sign"))

    def validate_expires_on(self, field):
        """Require the expiry to come after the start."""
        refuse(dpa_expiry_error(self.signed_on.data, self.effective_from.data, field.data))

    def dates(self):
        """Return the dates to record on the DPA."""
        return {"signed_on": self.signed_on.data,
                "effective_from": self.effective_from.data or self.signed_on.data,
                "expires_on": self.expires_on.data, "review_due_on": self.review_due_on.data}


class TerminateForm(FlaskForm):
    """When the DPA ends and what happens to the personal data."""

    terminated_on = DateField(_l("Ends on"), validators=[InputRequired(DATE_MESSAGE)])
    return_or_deletion = SelectField(
        _l("At the end"),
        choices=[SelectChoice("", _l("Choose…"))] + [
            SelectChoice(key, RETURN_OR_DELETION_LABELS[key]) for key in RETURN_OR_DELETION])
    submit = SubmitField(_l("Terminate the DPA"))

    def validate_return_or_deletion(self, field):
        """Require one of the offered options."""
        choice = field.data if field.data in RETURN_OR_DELETION else None
        refuse(return_or_deletion_error("terminated", self.terminated_on.data, choice))


class DocumentForm(FlaskForm):
    """The signed PDF of a DPA that was recorded without it."""

    document = FileField(_l("Signed PDF"), validators=[FileRequired("Choose the signed PDF.")])
    submit = SubmitField(_l("Upload"))
