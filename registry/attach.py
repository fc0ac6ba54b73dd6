"""The "attach the missing PDF" form flow, shared by DPAs and instructions.

Both record a document later than the row itself, refuse when the row cannot take one (it has
one already, or its state forbids it) and show upload problems next to the file field.
"""

from flask import flash
from flask_login import current_user

from registry import documents
from registry.auth.forms import add_errors


def attach_pdf(record, form, *, operations, state_error, done, back, show):
    """Run the attach form for `record` and return the response.

    `operations` offers `check_can_attach(record)` and `attach_document(record, file, user)`;
    `state_error` is what they raise when the record cannot take a document; `back(record)`
    redirects to its page and `show(record, document_form=..., status=...)` renders it again.
    """
    try:
        operations.check_can_attach(record)  # before the form: the page offers no field then
    except state_error as error:
        flash(str(error), "warning")
        return back(record)
    if form.validate():
        try:
            operations.attach_document(record, form.document.data,
                                       current_user._get_current_object())
        except documents.RejectedUpload as rejected:
            add_errors(form.document, [rejected.reason])
        except state_error as error:
            flash(str(error), "warning")
            return back(record)
        else:
            flash(done, "success")
            return back(record)
    return show(record, document_form=form, status=400)
