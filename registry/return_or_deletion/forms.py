"""Forms of an item: the certificate upload and the completion (confirmed)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, HiddenField, SubmitField
from wtforms.validators import InputRequired


class CertificateForm(FlaskForm):
    """The certificate of return or deletion, a PDF."""

    row_version = HiddenField()
    certificate = FileField(_l("Certificate of return or deletion (PDF)"),
                            validators=[FileRequired("Choose the certificate's PDF.")])
    submit = SubmitField(_l("Upload the certificate"))

    def seen_version(self):
        """Return the evidence version the form was opened on (None: there was none)."""
        value = (self.row_version.data or "").strip()
        return int(value) if value.isdigit() else None


class CompleteForm(FlaskForm):
    """The day the data was returned or deleted, as the certificate states."""

    completed_on = DateField(_l("Completed on"), validators=[
        InputRequired(_l("Enter the day the data was returned or deleted."))])
    submit = SubmitField(_l("Mark completed"))
