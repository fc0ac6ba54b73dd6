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
    # severities
    "red": _l("Red"), "amber": _l("Amber"), "green": _l("Green"),
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


# What each finding code means, for people (registry.compliance.findings.FINDING_CODES; the
# engine's own English stays its reference).
FINDING_LABELS = {
    "dpa_missing": _l("Active controller has no signed DPA in force"),
    "dpa_expired": _l("Current DPA's expiry date has passed"),
    "dpa_expiring": _l("Current DPA expires within the alert horizon"),
    "dpa_clause_missing": _l("Current DPA lacks a mandatory Art. 28(3) clause"),
    "dpa_review_due": _l("Current DPA's review date has passed"),
    "dpa_description_missing": _l("Current DPA lacks part of the Art. 28(3) description"),
    "dpa_document_missing": _l("Current DPA is signed but its signed copy is not attached"),
    "instruction_unacknowledged": _l("Instruction not acknowledged within 5 working days"),
    "attestation_awaiting_review": _l("Uploaded attestation waits for review"),
    "attestation_expired": _l("Accepted attestation is past its valid-until date"),
    "attestation_expiring": _l("Accepted attestation lapses within the horizon"),
    "attestation_bridge_letter_needed": _l("Type II report needs a current bridge letter"),
    "attestation_bridge_letter_expiring": _l("Bridge letter ends within the horizon"),
    "attestation_undatable": _l(
        "Accepted attestation lacks the date its validity counts from, so it counts for "
        "nothing"),
    "requirement_missing": _l("No accepted attestation for a group"),
    "requirement_expired": _l("Group's accepted attestations lapsed"),
    "flow_down_missing": _l("No signed flow-down agreement (Art. 28(4))"),
    "flow_down_clause_missing": _l("Flow-down agreement lacks a clause"),
    "flow_down_document_missing": _l("Flow-down agreement's signed copy not attached"),
    "transfer_mechanism_missing": _l("Processing outside the EEA without a mechanism"),
    "transfer_mechanism_invalid": _l("Transfer mechanism does not cover the transfer"),
    "breach_notice_too_long": _l("Breach-notice promise longer than a DPA allows"),
    "breach_notice_unrecorded": _l("No breach-notice promise on record while a DPA sets hours"),
    "engagement_objected": _l("Controller objected to the subcontractor"),
    "engagement_objection_period": _l("Notified; objection period or approval pending"),
    "engagement_unauthorised": _l("Active subcontractor not authorised for controller"),
    "engagement_chain_unauthorised": _l(
        "Sub-processor of a sub-processor processes a controller's data without the "
        "controller's authorisation (Art. 28(2), (4))"),
    "engagement_late_objection": _l(
        "Controller objected after the objection period: for legal review"),
    "engagement_approval_undocumented": _l("Written approval recorded without its document"),
    "incident_notice_due": _l("Breach notice to a controller is due (hour deadline)"),
    "incident_notice_overdue": _l("Breach notice to a controller is past its deadline"),
    "incident_subcontractor_late": _l("Subcontractor reported a breach later than it promised"),
    "return_or_deletion_due": _l(
        "Data to return or delete at the end of a contract or engagement, with a "
        "certificate (Art. 28(3)(g))"),
    "return_or_deletion_overdue": _l(
        "Return or deletion past its due date without a completed certificate"),
    "subject_request_due": _l("Data-subject request to forward (hour deadline)"),
    "subject_request_overdue": _l("Data-subject request not forwarded in time"),
    "assistance_due": _l("Assistance request to answer"),
    "assistance_overdue": _l("Assistance request past its due date"),
}


def finding_label(code):
    """A finding code's meaning in the page's language (the engine's text for a new code)."""
    from registry.compliance import FINDING_CODES

    if code in FINDING_LABELS:
        return FINDING_LABELS[code]
    meaning = FINDING_CODES.get(code)
    return meaning.label if meaning else code


def status_label(key):
    """The state `key` in the page's language ("" for None)."""
    if key is None:
        return ""
    return STATUS_LABELS.get(key, str(key).replace("_", " ").capitalize())


def init_app(app):
    app.add_template_filter(status_label)
    app.add_template_global(clause_label)
    app.add_template_global(finding_label)
