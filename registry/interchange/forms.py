"""The Import page's upload form (Flask-WTF: a CSRF token on every form)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import SubmitField


class UploadForm(FlaskForm):
    """Choose a filled-in workbook, one CSV table or a dpa-registry/1 JSON file to check."""

    file = FileField(_l("Workbook, CSV or JSON file"), validators=[
        FileRequired("Choose the filled-in workbook (.xlsx) or a JSON export to import."),
        FileAllowed(["xlsx", "csv", "json"],
                    "Save the spreadsheet as .xlsx (or one sheet as CSV in UTF-8, named after "
                    "its record type, e.g. controllers.csv), or upload a .json export."),
    ])
    submit = SubmitField(_l("Check the file"))


class ConfirmImportForm(FlaskForm):
    """Confirm the import of the file checked a moment ago (kept in the database meanwhile)."""

    submit = SubmitField(_l("Import these changes"))
