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


# The mandatory clauses of Art. 28(3), (a)-(h), by key (registry.compliance.facts.ClauseKey),
# in the words of the GDPR's language versions; lower case, as the engine's labels.
CLAUSE_LABELS = {
    "documented_instructions": _l("documented instructions only"),
    "confidentiality": _l("confidentiality of authorised persons"),
    "security_art32": _l("security measures (Art. 32)"),
    "subprocessor_conditions": _l("conditions for sub-processors"),
    "data_subject_rights": _l("assistance with data subject rights"),
    "assist_art32_36": _l("assistance with Art. 32-36 obligations"),
    "deletion_or_return": _l("deletion or return at the end"),
    "audits_and_information": _l("audits and information"),
}


def clause_label(key, capitalised=False):
    """An Art. 28(3) clause's label in the page's language (lower case unless `capitalised`)."""
    text = str(CLAUSE_LABELS.get(str(key), getattr(key, "label", key)))
    return text[:1].upper() + text[1:] if capitalised else text


def clause_choice(key, capitalised=False):
    """"(c) security measures (Art. 32)": a checkbox label, translated when it is shown."""
    return _l("(%(letter)s) %(label)s", letter=key.letter, label=LazyClause(key, capitalised))


class LazyClause:
    """A clause label looked up when it is turned into text (in the page's language)."""

    def __init__(self, key, capitalised):
        self.key, self.capitalised = key, capitalised

    def __str__(self):
        return clause_label(self.key, self.capitalised)


def status_label(key):
    """The state `key` in the page's language ("" for None)."""
    if key is None:
        return ""
    return STATUS_LABELS.get(key, str(key).replace("_", " ").capitalize())


def init_app(app):
    app.add_template_filter(status_label)
    app.add_template_global(clause_label)
