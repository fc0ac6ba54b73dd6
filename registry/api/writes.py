"""What every API write shares: the web form filled from a JSON body, and the guarded change.

A JSON body is turned into the form data the web form would have received and validated by
that form (CSRF off: the API has no cookies), so messages, normalisation and rules are the
web's; the area's operation then writes and audits exactly as for a form post.

A change to a versioned row goes through `change_row`: the row the token may read (404
otherwise), the version its `If-Match` names (412 when the row is at another one already), and
the operation, which is given that version and re-checks it on the row it locks inside its
transaction (`registry.editing`), so a change made meanwhile is refused with 412, never
overwritten. The areas' refusals (a state that does not allow the change) answer 409.
"""

from contextlib import contextmanager
from datetime import date

from flask_login import current_user
from werkzeug.datastructures import MultiDict

from registry import documents
from registry.api.problems import Problem
from registry.api.resources import etag_of, get_row, row_response
from registry.concurrency import Saturated
from registry.editing import StaleEdit


def actor():
    """Return the token's owner (the user the operations audit)."""
    return current_user._get_current_object()


def _form_value(value):
    if isinstance(value, bool):
        return "y" if value else ""  # a checked box sends a value, an unchecked one none
    if isinstance(value, list):
        return "\n".join(str(item) for item in value)
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else str(value)


def validated_form(form_class, values, prepare=None, multiple=(), files=None):
    """Return the web form filled from `values` and validated; 422 with its messages if not.

    `prepare(form)` does what the web view does before validating (e.g. offer the choices).
    The fields named in `multiple` take several values (ticked boxes), one per list item;
    `files` maps file fields to the uploaded FileStorage.
    """
    data = MultiDict()
    for name, value in values.items():
        if name in multiple:
            data.setlist(name, [_form_value(item) for item in value])
        else:
            data[name] = _form_value(value)
    for name, upload in (files or {}).items():
        data[name] = upload
    form = form_class(formdata=data, meta={"csrf": False})
    if prepare is not None:
        prepare(form)
    if not form.validate():
        raise invalid(form.errors)
    return form


def invalid(errors):
    """Return the 422 Problem naming each invalid member's messages."""
    return Problem(422, "The request has invalid members.", errors={
        name: [str(message) for message in messages] for name, messages in errors.items()})


def seen_version(row, tag):
    """Return the row_version the If-Match tag names (None for `*`: any version); 412 unless
    it is the row's current one."""
    if tag == "*":
        return None
    if tag != etag_of(row):
        raise Problem(412, "The resource changed since you read it: read it again (its ETag "
                           "changed), then send your change with the new ETag.")
    return row.row_version


def form_values(form):
    """Return the data of a filled form by field name (not its buttons or CSRF token)."""
    return {field.name: field.data for field in form
            if field.type not in ("SubmitField", "CSRFTokenField")}


def blank_values(form_class):
    """Return what a new, untouched web form would send (its defaults, empty fields)."""
    return form_values(form_class(formdata=None, meta={"csrf": False}))


@contextmanager
def refusals(*conflicts, upload="document"):
    """Answer the operation's StaleEdit with 412 and its `conflicts` (exception classes) with
    409, each with the operation's own message; a refused PDF (the web form's checks) with 422
    naming the member `upload`, and a full PDF checker with 429/503 and Retry-After."""
    try:
        yield
    except StaleEdit as stale:
        raise Problem(412, str(stale)) from None
    except conflicts as refusal:
        raise Problem(409, str(refusal)) from None
    except documents.RejectedUpload as rejected:
        raise invalid({upload: [rejected.reason]}) from None
    except Saturated as busy:
        raise Problem(busy.status, busy.message,
                      headers={"Retry-After": str(busy.kind.retry_after)}) from None


def checked_pdf(upload, member="document"):
    """Return the uploaded file checked as a web form's upload is (a real, safe PDF of at most
    MAX_UPLOAD_MB); 422 naming `member` when it is not one."""
    with refusals(upload=member):
        return documents.check_upload(upload)


def change_row(resource, row_id, if_match, change, *conflicts):
    """Change one versioned row of `resource` as the token's owner and answer with it.

    `change(row, version)` runs the area's operation on the row read (`version` is the
    row_version If-Match named, None for `*`; the operation re-checks it under its row lock)
    and returns the changed row, or None to answer with the row read again.
    """
    row = get_row(resource, row_id)
    version = seen_version(row, if_match)
    with refusals(*conflicts):
        changed = change(row, version)
    return row_response(resource, changed if changed is not None else get_row(resource, row_id))
