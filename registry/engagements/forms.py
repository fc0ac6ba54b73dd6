"""Forms of the engagement pages: engage, record an objection or approval, withdraw."""

from flask_babel import lazy_gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
    widgets,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from registry.dpas.forms import DATE_MESSAGE
from registry.form_validation import past_date

MAX_NOTE = 2000
MAX_REFERENCE = 200


class EngagementForm(FlaskForm):
    """Engage a subcontractor for one, several or all controllers."""

    scope = RadioField(_l("Whose personal data will it process?"), default="some", choices=[
        SelectChoice("some", _l("The controllers I choose")),
        SelectChoice("all", "Every controller's (a shared service, such as hosting)"),
    ])
    controllers = SelectMultipleField(
        lazy_gettext("Controllers"), coerce=int, choices=[],
        widget=widgets.ListWidget(prefix_label=False), option_widget=widgets.CheckboxInput(),
        description=lazy_gettext("Tick each controller whose data it will process."))
    proposed_on = DateField(_l("Proposed on"), validators=[InputRequired(DATE_MESSAGE)])
    on_list_at_signing = BooleanField(
        _l("It was named in the DPA's list of sub-processors when the DPA was signed "
        "(already authorised; no notice needed)"))
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=MAX_NOTE)])
    submit = SubmitField(_l("Engage"))

    def validate_controllers(self, field):
        """Require at least one controller unless the scope is every controller."""
        if self.scope.data == "some" and not field.data:
            raise ValidationError(_l("Choose at least one controller, or choose every controller."))


class ObjectionForm(FlaskForm):
    """Record a controller's objection (for an every-controller engagement: which one)."""

    controller = SelectField(_l("Which controller objected?"), coerce=int, choices=[],
                             validate_choice=False,
                             description=_l("The objection is recorded for that controller only."))
    objected_on = DateField(_l("Objection received on"),
                            validators=[InputRequired(DATE_MESSAGE), past_date("objected_on")])
    note = TextAreaField(
        _l("What the controller said"), validators=[InputRequired(_l("Summarise the objection.")),
                                                Length(max=MAX_NOTE)],
        description=_l("Who objected and why; the next steps you agreed."))
    submit = SubmitField(_l("Record the objection"))

    def validate_controller(self, field):
        """Require a known controller when the form offers the choice."""
        offered = {choice.value for choice in field.choices}
        if offered and field.data not in offered:
            raise ValidationError(_l("Choose the controller that objected."))


class ApprovalForm(FlaskForm):
    """Record a controller's written approval: its PDF, or a confirmation that it is on file."""

    approved_on = DateField(_l("Approved on"),
                            validators=[InputRequired(DATE_MESSAGE), past_date("approved_on")])
    file = FileField(_l("The written approval (PDF)"),
                     description=_l(
                         "The signed approval, or the controller's e-mail saved as PDF."))
    on_file = BooleanField(_l("No PDF: I have the controller's written approval, e.g. an e-mail, "
                           "on file"))
    reference = StringField(
        _l("Reference"), validators=[Length(max=MAX_REFERENCE)],
        description=_l("Where the approval is, e.g. “E-mail from the controller's DPO, "
                    "20 Nov 2026, ticket 4411”. Needed without a PDF."))
    submit = SubmitField(_l("Record the approval"))

    def validate_on_file(self, field):
        """Require the PDF or the confirmation that the approval is on file."""
        if not self.file.data and not field.data:
            raise ValidationError(_l("Attach the written approval as a PDF, or confirm that you "
                                  "have it on file."))

    def validate_reference(self, field):
        """Require a reference when the approval is on file without a PDF."""
        if not self.file.data and self.on_file.data and not (field.data or "").strip():
            raise ValidationError(_l("Say where the approval is, e.g. the e-mail's sender and "
                                  "date."))


class WithdrawForm(FlaskForm):
    """Withdraw an engagement."""

    withdrawn_on = DateField(_l("Stopped processing on"),
                             validators=[InputRequired(DATE_MESSAGE), past_date("withdrawn_on")])
    submit = SubmitField(_l("Withdraw"))
