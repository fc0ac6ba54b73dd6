"""Forms with a PDF that keep the chosen file when another field is wrong (issue 18).

A form's fields are validated first, then its PDF. When the PDF passes but a field does not,
the checked file is kept server-side (`store`, a database row bound to the signed-in user,
deleted after a day) and the form shown again names it in a hidden field, so the person
corrects the field without choosing the file again; choosing another file replaces it.

A view uses it in three steps:

    upload = FormUpload(form, form.file)
    checked = upload.checked()       # None: show the form again (errors are on the fields)
    ... save `checked` ...           # a refusal found while saving: upload.keep_for_retry()
    upload.done()                    # the kept file, if any, is no longer needed

The form's file field takes `FileOrKept(message)` instead of `FileRequired`, and the template
renders it with `upload_field` from templates/macros/uploads.html.
"""

from dataclasses import dataclass

from flask import request
from flask_login import current_user
from werkzeug.datastructures import FileStorage
from wtforms.validators import StopValidation

from registry import documents
from registry.pending_uploads import store

PENDING_FIELD = "pending_upload"


@dataclass(frozen=True)
class KeptUpload:
    """A file kept for the next try of a form: its token (hidden field) and its name (shown)."""

    token: str
    filename: str


def _owner():
    return current_user._get_current_object() if current_user.is_authenticated else None


def _chosen(field):
    data = field.data
    return isinstance(data, FileStorage) and bool((data.filename or "").strip())


def _kept_in_request():
    return store.find(request.form.get(PENDING_FIELD, ""), _owner())


class FileOrKept:
    """Require a file unless the request names one this user kept on an earlier try."""

    def __init__(self, message):
        self.message = message

    def __call__(self, form, field):
        if _chosen(field) or _kept_in_request() is not None:
            return
        field.errors[:] = []
        raise StopValidation(self.message)


class FormUpload:
    """The PDF of one form: chosen now, or kept from the user's earlier try."""

    def __init__(self, form, file_field):
        self.form = form
        self.field = file_field
        self.token = request.form.get(PENDING_FIELD, "")
        self._checked = None
        self._checked_is_kept = False
        form.kept_upload = None

    def checked(self):
        """Validate the fields, then the PDF; return the CheckedUpload when both pass, else None.

        A failing form keeps a valid PDF for the next try (`form.kept_upload`); a refused new
        file leaves an earlier kept one in place.
        """
        form = self.form
        if not form.is_submitted():
            return None
        fields_valid = form.validate()
        if "csrf_token" in form.errors:
            return None  # a stale or forged form: nothing is read or kept
        owner = _owner()
        kept = store.find(self.token, owner)
        if kept is not None:
            form.kept_upload = KeptUpload(self.token, kept.filename)
        if not _chosen(self.field) and kept is None:
            return None  # FileOrKept has said what is missing
        try:
            if _chosen(self.field):
                self._checked = documents.check_upload(self.field.data)
            else:
                self._checked, self._checked_is_kept = kept, True
        except documents.RejectedUpload as refused:
            self.field.errors = [*self.field.errors, refused.reason]
            return None
        if not fields_valid:
            self.keep_for_retry()
            return None
        return self._checked

    def keep_for_retry(self):
        """Keep the checked PDF for the next try (a refusal found after the field checks)."""
        if self._checked is None or self._checked_is_kept:
            return
        owner = _owner()
        store.discard(self.token, owner)  # a new file replaces the one kept before
        self.token = store.keep(self._checked, owner)
        self._checked_is_kept = True
        self.form.kept_upload = KeptUpload(self.token, self._checked.filename)

    def done(self):
        """Delete the kept file: the form succeeded with it (or with its replacement)."""
        store.discard(self.token, _owner())
        self.form.kept_upload = None

