"""Forms of data-subject requests (record, correct, instruction and tasks, close) and of
assistance requests (record, correct, answer)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import DateField, HiddenField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from registry.clock import local_today
from registry.compliance.requests import (
    ASSISTANCE_KIND_LABELS,
    REQUEST_TYPE_ARTICLES,
    REQUEST_TYPES,
)
from registry.form_validation import InstantField, past_date, past_instant
from registry.validation import LONG_TEXT_LENGTH, NAME_LENGTH

CHANNEL_LABELS = {"email": _l("E-mail"), "web_form": _l("Web form"), "phone": _l("Telephone"),
                  "letter": _l("Letter"), "in_person": _l("In person"), "other": _l("Other")}
# The rights of Arts 15-21 by the words of the GDPR; the article comes from the engine's table.
TYPE_NAMES = {"access": _l("Access"), "rectification": _l("Rectification"),
              "erasure": _l("Erasure"), "restriction": _l("Restriction"),
              "portability": _l("Portability"), "objection": _l("Objection")}
TYPE_LABELS = {kind: _l("%(right)s (%(article)s)", right=TYPE_NAMES[kind],
                        article=REQUEST_TYPE_ARTICLES[kind])
               for kind in REQUEST_TYPES}
UNKNOWN_CONTROLLER = _l("Unknown – identify the controller")
DATE_MESSAGE = _l("Enter the date (day, month and year).")
MINIMAL_HINT = _l("Record no more personal data than you need to find the request again: a "
                  "customer or order number, or initials, not the person's full details.")


def _choices(labels):
    """A required select's choices: an empty "Choose…" first, so nothing is picked unasked."""
    return [SelectChoice("", _l("Choose…"))] + [
        SelectChoice(value, label) for value, label in labels.items()]


def _optional_id(value):
    """Read a select's value as an id; the empty "unknown" choice (or nonsense) is None."""
    return int(value) if str(value).isdigit() else None


def _text(label, hint, required=None, length=LONG_TEXT_LENGTH):
    validators = [InputRequired(required)] if required else [Optional()]
    return TextAreaField(label, validators=[*validators, Length(max=length)], description=hint)


class SubjectRequestForm(FlaskForm):
    """Record or correct a data-subject request the processor received."""

    received_at = InstantField(_l("When did it arrive?"), validators=[
        InputRequired(_l("Enter when the request arrived.")), past_instant("The time it arrived")])
    channel = SelectField(_l("How did it arrive?"), choices=_choices(CHANNEL_LABELS),
                          validators=[InputRequired(_l("Choose how the request arrived."))])
    request_type = SelectField(_l("What does the person ask for?"),
                               choices=_choices(TYPE_LABELS),
                               validators=[InputRequired(_l("Choose the kind of request."))])
    controller = SelectField(_l("Whose data is it (the controller)?"), coerce=_optional_id,
                             choices=[], validate_choice=False,
                             description=_l("The client whose service the person used. When you "
                                         "cannot tell yet, choose “Unknown” and identify it "
                                         "before the deadline."))
    subject_reference = StringField(_l("Reference to the person"), validators=[
        InputRequired(_l("Enter a reference that lets the controller find the person.")),
        Length(max=NAME_LENGTH)], description=MINIMAL_HINT)
    details = _text(_l("What the request says"), _l("In a sentence, without the person's details; "
                    "the controller receives the original from the person or from you."))
    row_version = HiddenField()
    submit = SubmitField(_l("Record the request"))

    def validate_controller(self, field):
        """Accept only an offered controller, or "unknown"."""
        offered = {choice.value for choice in field.choices} - {""}
        if field.data is not None and field.data not in offered:
            raise ValidationError(_l("Choose a controller from the list, or “Unknown”."))

    def values(self):
        """Return the model values (the arrival as an aware instant)."""
        return {"received_at": self.received_at.data, "channel": self.channel.data,
                "request_type": self.request_type.data, "controller": self.controller.data,
                "subject_reference": self.subject_reference.data.strip(),
                "details": (self.details.data or "").strip()}


def with_unknown(choices):
    """Return controller choices led by the "unknown – identify" choice."""
    return [SelectChoice("", UNKNOWN_CONTROLLER), *choices]


class HandlingForm(FlaskForm):
    """The controller's instruction and the processor's assistance tasks, kept until closed."""

    instruction = _text(_l("The controller's instruction"),
                        _l("What the controller asked you to do with the request, and when."))
    assistance_tasks = _text(_l("Our assistance tasks"),
                             _l("One task a line, e.g. “Export order history for customer 1234 – "
                             "done 2026-12-04”."))
    row_version = HiddenField()
    submit = SubmitField(_l("Save"))


class CloseForm(FlaskForm):
    """Close a forwarded data-subject request."""

    row_version = HiddenField()


class ForwardForm(FlaskForm):
    """Forward a data-subject request to the controller's privacy contacts (CSRF only)."""


def _due_after_received(form, field):
    received = form.received_on.data
    if field.data is not None and received is not None and field.data < received:
        raise ValidationError(_l("The due date cannot be before the day it was received."))


class AssistanceRequestForm(FlaskForm):
    """Record or correct a controller's request for assistance."""

    kind = SelectField(_l("What does the controller need?"),
                       choices=_choices(ASSISTANCE_KIND_LABELS),
                       validators=[InputRequired(_l("Choose what the controller needs."))])
    controller = SelectField(_l("Controller"), coerce=_optional_id, choices=[],
                             validate_choice=False)
    received_on = DateField(_l("Received on"), validators=[InputRequired(DATE_MESSAGE),
                                                       past_date("received_on")])
    due_on = DateField(_l("Due on"), validators=[InputRequired(DATE_MESSAGE), _due_after_received],
                       description=_l("The date the controller asked for, or your DPA's term."))
    summary = _text(_l("What is asked"),
                    _l("E.g. “Our DPIA of the loyalty programme: describe your "
                       "security measures and sub-processors”."),
                    _l("Describe what the controller asks."))
    row_version = HiddenField()
    submit = SubmitField(_l("Record the request"))

    def validate_controller(self, field):
        """Require one of the offered controllers."""
        offered = {choice.value for choice in field.choices}
        if field.data not in offered:
            raise ValidationError(_l("Choose the controller."))

    def values(self):
        """Return the model values."""
        return {"kind": self.kind.data, "controller": self.controller.data,
                "received_on": self.received_on.data, "due_on": self.due_on.data,
                "summary": self.summary.data.strip()}


def _not_future(_form, field):
    if field.data is not None and field.data > local_today():
        raise ValidationError(_l("The answer date cannot be in the future."))


class AnswerForm(FlaskForm):
    """Record the answer given to an assistance request, with its document (a PDF)."""

    answered_on = DateField(_l(
        "Answered on"), validators=[InputRequired(DATE_MESSAGE), _not_future])
    answer = _text(_l("What you answered"), _l("A summary, e.g. “Sent our Art. 32 measures and the "
                   "sub-processor list”."), _l("Summarise the answer."))
    document = FileField(_l("Answer document (PDF, optional)"),
                         description=_l("The answer as sent, if it was a document."))
    row_version = HiddenField()
    submit = SubmitField(_l("Record the answer"))

    def upload(self):
        """Return the chosen file, or None when no file was chosen."""
        data = self.document.data
        return data if data is not None and getattr(data, "filename", "") else None
