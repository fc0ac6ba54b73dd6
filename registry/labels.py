"""The words pages show for stored states ("active", "authorised", "queued" ...).

The database keeps the English key; `status_label` (a Jinja filter) names it in the page's
language. One table for every kind of record, since the same word means the same in each:
an unknown key is shown capitalised, as before, so a new state is never hidden.
"""

from flask_babel import lazy_gettext as _l

STATUS_LABELS = {
    # controllers, subcontractors, DPAs
    "active": _l("Active"), "ended": _l("Ended"), "proposed": _l("Proposed"),
    "offboarded": _l("Offboarded"), "draft": _l("Draft"), "signed": _l("Signed"),
    "terminated": _l("Terminated"), "superseded": _l("Superseded"),
    "general": _l("General"), "specific": _l("Specific"),
    "low": _l("Low"), "medium": _l("Medium"), "high": _l("High"),
    # engagements
    "notified": _l("Notified"), "authorised": _l("Authorised"), "objected": _l("Objected"),
    "unauthorised": _l("Unauthorised"), "withdrawn": _l("Withdrawn"),
    # review, alerts, mail, report jobs
    "pending": _l("Pending"), "accepted": _l("Accepted"), "rejected": _l("Rejected"),
    "sent": _l("Sent"), "failed": _l("Failed"), "queued": _l("Queued"),
    "running": _l("Running"), "done": _l("Done"), "delivered": _l("Delivered"),
}


def status_label(key):
    """The state `key` in the page's language ("" for None)."""
    if key is None:
        return ""
    return STATUS_LABELS.get(key, str(key).replace("_", " ").capitalize())


def init_app(app):
    app.add_template_filter(status_label)
