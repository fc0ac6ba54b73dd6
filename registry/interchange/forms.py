"""The Import page's upload form (Flask-WTF: a CSRF token on every form)."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import SubmitField


class UploadForm(FlaskForm):
    """Choose a filled-in workbook or a dpa-registry/1 JSON file to check."""

    file = FileField("Workbook or JSON file", validators=[
        FileRequired("Choose the filled-in workbook (.xlsx) or a JSON export to import."),
        FileAllowed(["xlsx", "json"], "Upload the workbook as .xlsx, or a .json export."),
    ])
    submit = SubmitField("Check the file")


class ConfirmImportForm(FlaskForm):
    """Confirm the import of the file checked a moment ago (kept in the database meanwhile)."""

    submit = SubmitField("Import these changes")
