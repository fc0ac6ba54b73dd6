"""Instruction forms: a new instruction or version (with an optional PDF), and attaching a PDF."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from registry.form_validation import past_date
from registry.validation import INSTRUCTION_TEXT_LENGTH

DATE_MESSAGE = _l("Enter the date (day, month and year).")


class InstructionForm(FlaskForm):
    """A documented instruction from the controller, as received."""

    title = StringField(_l("Title"), validators=[InputRequired(_l("Enter a short title.")),
                                             Length(max=200)])
    text = TextAreaField(_l("Instruction"), validators=[
        InputRequired(_l("Enter the instruction as the controller gave it.")),
        Length(max=INSTRUCTION_TEXT_LENGTH)],
        description=_l("The controller's words, as received."))
    source = StringField(_l("Source"), validators=[Optional(), Length(max=300)],
                         description=_l("Where it came from: DPA annex, e-mail, ticket number."))
    received_on = DateField(_l("Received on"),
                            validators=[InputRequired(DATE_MESSAGE), past_date("received_on")])
    effective_from = DateField(_l("In effect from"), validators=[Optional()],
                               description=_l("Leave empty when it applies from receipt."))
    document = FileField(_l("Document (PDF, optional)"),
                         description=_l("The e-mail or letter as a PDF, if you have one."))
    submit = SubmitField(_l("Register"))

    def values(self):
        """Return the model values the form describes."""
        return {"title": self.title.data.strip(), "text": self.text.data.strip(),
                "source": (self.source.data or "").strip(),
                "received_on": self.received_on.data,
                "effective_from": self.effective_from.data}

    def upload(self):
        """Return the chosen file, or None when no file was chosen."""
        data = self.document.data
        return data if data is not None and getattr(data, "filename", "") else None


class DocumentForm(FlaskForm):
    """The instruction's document, attached later."""

    document = FileField(_l("Document (PDF)"), validators=[FileRequired("Choose a PDF file.")])
    submit = SubmitField(_l("Attach"))
