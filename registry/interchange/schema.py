"""The `dpa-registry/1` interchange format: every record type and every field, described once.

The validator, the importer, the exporter, the spreadsheet template (its column explanations)
and docs/import-export.md all read these definitions. Records refer to each other by the `key`
the user chose (an incident by its `reference`), never by database ids. Spreadsheets and CSV
files flatten nested objects into dotted column names (`clauses.confidentiality`,
`flow_down.signed_on`).
"""

from dataclasses import dataclass

from registry.compliance.requests import (
    ASSISTANCE_KINDS,
    CHANNELS,
    DEFAULT_FORWARD_DAYS,
    REQUEST_TYPES,
)
from registry.i18n import LANGUAGES
from registry.models import (
    AUTHORISATION_TYPES,
    CLAUSE_KEYS,
    CONTROLLER_STATUSES,
    DPA_STATUSES,
    INCIDENT_DETECTORS,
    INCIDENT_MESSAGE_KINDS,
    INCIDENT_SCOPES,
    RETURN_OR_DELETION,
    REVIEW_STATES,
    RISK_TIERS,
    SUBCONTRACTOR_STATUSES,
    TRANSFER_MECHANISMS,
)
from registry.validation import (
    INSTRUCTION_TEXT_LENGTH,
    KEY_LENGTH,
    LONG_TEXT_LENGTH,
    MAX_BREACH_NOTICE_HOURS,
    NAME_LENGTH,
)

FORMAT = "dpa-registry/1"
ALL_CONTROLLERS = "*"
VERSION_LIMIT = 1_000
DESCRIPTION_KEYS = (
    "subject_matter",
    "duration",
    "nature_and_purpose",
    "personal_data_types",
    "data_subject_categories",
)


@dataclass(frozen=True)
class Field:
    """One field of a record: its name in the file, its kind and what it means.

    Kinds: text, date, instant (ISO 8601 with its UTC offset), int, bool, enum, country, list,
    emails, countries, ref (a key of the `target` collection), type (an attestation type code),
    clauses, description, flow_down, flow_downs, document, notices, incident_messages.
    `tabular` is False for fields that spreadsheets and CSV do not carry.
    Every text field has a `max_length`, so that no field can carry a whole file.
    """

    name: str
    kind: str
    help: str
    required: bool = False
    choices: tuple = ()
    default: object = None
    max_length: int | None = None
    target: str | None = None
    minimum: int | None = None
    maximum: int | None = None
    tabular: bool = True


def _text(name, help, max_length=LONG_TEXT_LENGTH, required=False, default=None):
    return Field(name, "text", help, required=required, max_length=max_length, default=default)


def _date(name, help):
    return Field(name, "date", help)


def _ref(name, target, help):
    return Field(name, "ref", help, required=True, target=target, max_length=KEY_LENGTH)


def _version(name, help, default=None):
    return Field(name, "int", help, default=default, minimum=1, maximum=VERSION_LIMIT)


def _breach_hours(help):
    return Field("breach_notice_hours", "int", help, minimum=1, maximum=MAX_BREACH_NOTICE_HOURS)


def _enum(name, choices, help, default=None, required=False):
    return Field(name, "enum", help, choices=tuple(choices), default=default, required=required)


def _language(party):
    return _enum("language", LANGUAGES, f"Language the registry writes to the {party} in; empty: "
                 "its country's (FI fi, SE and AX sv, any other en).")


def _document(name, help):
    return Field(name, "document", help, tabular=False)


CONTROLLER_FIELDS = (
    _text("key", "Your stable identifier for the controller (business ID or internal code).",
          KEY_LENGTH, required=True),
    _text("name", "The controller's legal name.", NAME_LENGTH, required=True),
    _text("business_id", "Business ID; for country FI a Y-tunnus 1234567-8 with a valid check "
          "digit.", 50),
    Field("country", "country", "ISO 3166 two-letter country code.", default="FI"),
    Field("privacy_contacts", "emails", "E-mail addresses that receive sub-processor notices."),
    Field("services", "list", "Services the controller uses (online store, reward shop ...)."),
    _text("ordered_via", "The client that ordered on the controller's behalf, when different.",
          NAME_LENGTH),
    _enum("status", CONTROLLER_STATUSES, "Whether the client relationship is current.",
          default="active"),
    _date("ended_on", "The day the client relationship ended."),
    _text("notes", "Free-text notes.", default=""),
    _language("controller"),
)

DPA_FIELDS = (
    _ref("controller", "controllers", "Key of the controller this DPA is with."),
    _version("version", "Version number of the agreement (1, 2, ...); a change is a new "
             "version.", default=1),
    _text("title", "Title of the agreement.", NAME_LENGTH, required=True),
    _enum("status", DPA_STATUSES, "Where the agreement stands.", default="draft"),
    _date("signed_on", "The day both parties had signed."),
    _date("effective_from", "The first day the agreement applies."),
    _date("expires_on", "The last day of the agreement; empty when open-ended."),
    _date("review_due_on", "The day the agreement is due for review."),
    _date("terminated_on", "The day the agreement was terminated."),
    _enum("return_or_deletion", RETURN_OR_DELETION, "What happens to the data at the end."),
    _enum("subprocessor_authorisation", AUTHORISATION_TYPES, "General or specific prior written "
          "authorisation of sub-processors (Art. 28(2)); never assumed.", required=True),
    Field("objection_period_days", "int", "Days (1 to 365) the controller has to object to a "
          "new sub-processor.", default=30),
    _breach_hours("Hours within which the processor promised to report a personal data "
                  "breach."),
    Field("dsr_forward_days", "int", "Working days (Monday to Friday, 1 to 30) within which a "
          "data-subject request the processor receives is forwarded to the controller.",
          default=DEFAULT_FORWARD_DAYS, minimum=1, maximum=30),
    Field("return_or_deletion_days", "int", "Days (0 to 365) after the end of the contract, or "
          "of a sub-processor's engagement, within which the data is returned or deleted and "
          "certified (Art. 28(3)(g)).", default=30, minimum=0, maximum=365),
    Field("clauses", "clauses", "The Art. 28(3) checklist: true for each mandatory clause the "
          "agreement contains."),
    Field("description", "description", "The Art. 28(3) description of the processing."),
    _document("document", "The signed agreement (exports made with --with-documents)."),
)

INSTRUCTION_FIELDS = (
    _ref("controller", "controllers", "Key of the controller that gave the instruction."),
    _version("version", "Version of this instruction; a change is a new version with the "
             "same title.", default=1),
    _text("title", "Title of the instruction.", NAME_LENGTH, required=True),
    _text("text", "The instruction as given.", INSTRUCTION_TEXT_LENGTH, required=True),
    _text("source", "Where it came from: DPA annex, e-mail, ticket reference.", 300, default=""),
    Field("received_on", "date", "The day the instruction was received.", required=True),
    _date("effective_from", "The first day the instruction applies."),
    _date("acknowledged_on", "The day the processor acknowledged it."),
    _version("dpa_version", "Version of the controller's DPA the instruction supplements."),
    _document("document", "The instruction's document (exports made with --with-documents)."),
)

FLOW_DOWN_FIELDS = (
    _date("signed_on", "The day the flow-down agreement (Art. 28(4)) was signed."),
    _date("terminated_on", "The day it was terminated."),
    Field("clauses", "clauses", "The same Art. 28(3) checklist, for the flow-down agreement."),
    _document("document", "The signed agreement (exports made with --with-documents)."),
)

SUBCONTRACTOR_FIELDS = (
    _text("key", "Your stable identifier for the sub-processor.", KEY_LENGTH, required=True),
    _text("name", "The sub-processor's legal name.", NAME_LENGTH, required=True),
    _text("business_id", "Business ID; for country FI a Y-tunnus with a valid check digit.", 50),
    Field("country", "country", "ISO 3166 two-letter country code of the entity.", default="FI"),
    _text("website", "Website address.", 300, default=""),
    _enum("tier", RISK_TIERS, "Risk tier; decides which attestations are required.",
          default="medium"),
    _enum("status", SUBCONTRACTOR_STATUSES, "Proposed, active or offboarded.", default="proposed"),
    _date("offboarded_on", "The day the sub-processor was offboarded."),
    Field("parent", "ref", "Key of the sub-processor that engages this one (its parent), when "
          "the processor does not engage it directly.", target="subcontractors",
          max_length=KEY_LENGTH),
    _text("purpose", "What it does for the processor (service, purpose).", default=""),
    Field("data_categories", "list", "Categories of personal data it touches."),
    Field("processing_countries", "countries", "Countries where it processes the data."),
    _enum("transfer_mechanism", TRANSFER_MECHANISMS, "Transfer mechanism when processing outside "
          "the EEA."),
    _date("tia_on", "The day the transfer impact assessment was made (SCC transfers)."),
    Field("handles_card_data", "bool", "Whether it handles payment card data (needs PCI DSS).",
          default=False),
    _breach_hours("Hours within which it must report a breach to the processor."),
    Field("contacts", "emails", "E-mail addresses that receive reminders."),
    _language("sub-processor"),
    Field("flow_down", "flow_down", "The current flow-down agreement: signed_on, terminated_on "
          "and clauses."),
    Field("earlier_flow_downs", "flow_downs", "Earlier flow-down agreements, oldest first.",
          tabular=False),
)

ENGAGEMENT_FIELDS = (
    _ref("subcontractor", "subcontractors", "Key of the sub-processor."),
    _ref("controller", "controllers", "Key of the controller whose data it processes, or * for "
         "every controller."),
    Field("on_list_at_signing", "bool", "Named in the sub-processor list agreed at signing.",
          default=False),
    _date("proposed_on", "The day the engagement was proposed."),
    _date("notified_on", "The day the controller was notified of the intended change."),
    _date("objection_deadline", "The last day the controller could object."),
    Field("notice_recipients", "emails", "Who received the notice."),
    _date("objected_on", "The day the controller objected."),
    _text("objection_note", "What the objection said.", default=""),
    _date("approved_on", "The day of the controller's written approval."),
    _date("withdrawn_on", "The day the engagement was withdrawn."),
    _text("notes", "Free-text notes.", default=""),
    _document("approval_document", "The written approval (exports made with --with-documents)."),
)

ATTESTATION_FIELDS = (
    _ref("subcontractor", "subcontractors", "Key of the sub-processor."),
    Field("type", "type", "Attestation type code (iso27001, soc2_type2, pentest_report ...).",
          required=True, max_length=40),
    _text("issuer", "Certification body or audit firm.", 200, default=""),
    _text("reference", "Certificate or report number.", 200, default=""),
    _text("scope", "Scope statement.", default=""),
    _text("standard_version", "Version of the standard (e.g. 2022 for ISO/IEC 27001).", 20),
    _date("issued_on", "The day the certificate or report was issued."),
    _date("period_start", "First day of the period a Type II report covers."),
    _date("period_end", "Last day of the period a Type II report covers."),
    _date("valid_until", "Expiry stated on the document; empty = derived from its type."),
    _date("bridge_letter_until", "End date of the bridge letter (SOC 2 / ISAE), when given."),
    _enum("review", REVIEW_STATES, "The processor's review of the evidence.", default="pending"),
    _text("rejection_reason", "Why it was rejected.", default=""),
    _document("document", "The evidence (exports made with --with-documents)."),
)


def _instant(name, help, required=False):
    return Field(name, "instant", help, required=required)


def _controller_ref(help):
    return Field("controller", "ref", help, required=True, target="controllers",
                 max_length=KEY_LENGTH)


NOTICE_FIELDS = (
    _controller_ref("Key of an affected controller."),
    _breach_hours("Hours the controller's DPA set when the incident became known; null when "
                  "it set none and the configured default applied."),
    _instant("due_at", "When the notice to this controller is due.", required=True),
    _instant("notified_at", "When the controller was notified (its first notice delivered)."),
    Field("recipients", "emails", "Who received the first notice."),
)

MESSAGE_FIELDS = (
    _controller_ref("Key of the controller the e-mail went to (one of the notices')."),
    _enum("kind", INCIDENT_MESSAGE_KINDS, "The first notice or a follow-up (Art. 33(4)).",
          default="initial"),
    _text("text", "What a follow-up said was new.", default=""),
    Field("recipients", "emails", "Who the e-mail went to."),
    _instant("sent_at", "When the mail server took it; null when it was not delivered."),
    _text("message_id", "Its Message-ID.", 200),
    _text("error", "Why it was not delivered.", 2000, default=""),
)

INCIDENT_FIELDS = (
    _text("reference", "The incident's reference (INC-2026-001).", 40, required=True),
    _text("title", "A short title.", NAME_LENGTH, required=True),
    _instant("aware_at", "When the processor became aware (of a subcontractor's report: when it "
             "arrived).", required=True),
    _enum("detected_by", INCIDENT_DETECTORS, "Who detected it: the processor or a "
          "subcontractor.", default="internal"),
    Field("subcontractor", "ref", "Key of the subcontractor that reported it, or whose "
          "controllers it affects.", target="subcontractors", max_length=KEY_LENGTH),
    _instant("subcontractor_aware_at", "When the reporting subcontractor became aware."),
    _enum("affected_scope", INCIDENT_SCOPES, "The controllers listed in notices, or every "
          "controller whose data the subcontractor processes.", default="controllers"),
    _text("nature", "What happened (Art. 33(3)(a)).", required=True),
    _text("data_subject_categories", "Categories of data subjects.", default=""),
    Field("data_subject_count", "int", "Approximate number of data subjects."),
    _text("record_categories", "Categories of personal data records.", default=""),
    Field("record_count", "int", "Approximate number of records."),
    _text("likely_consequences", "Likely consequences (Art. 33(3)(c)).", default=""),
    _text("measures", "Measures taken or proposed (Art. 33(3)(d)).", default=""),
    _text("contact_point", "Contact point for more information (Art. 33(3)(b)).",
          required=True),
    _instant("closed_at", "When the incident was closed."),
    Field("notices", "notices", "One notice per affected controller: its deadline and when it "
          "was given.", tabular=False),
    Field("messages", "incident_messages", "The e-mails of the notices, oldest first: first "
          "notices and follow-ups.", tabular=False),
)

SUBJECT_REQUEST_FIELDS = (
    _text("reference", "The request's reference (DSR-2026-001).", 40, required=True),
    _instant("received_at", "When the processor received it.", required=True),
    _enum("channel", CHANNELS, "How it arrived.", required=True),
    _enum("request_type", REQUEST_TYPES, "What the person asks for (Arts 15-22).",
          required=True),
    Field("controller", "ref", "Key of the controller it concerns; null while unknown.",
          target="controllers", max_length=KEY_LENGTH),
    _text("subject_reference", "A minimal reference to the person (customer or order number).",
          NAME_LENGTH, required=True),
    _text("details", "What the request says, without the person's details.", default=""),
    Field("forward_days", "int", "Working days the controller's DPA set when it arrived; null "
          "when no DPA was in force and the default applied.", minimum=1, maximum=30),
    _instant("due_at", "When it is due to reach the controller.", required=True),
    _instant("forwarded_at", "When the forwarding e-mail was delivered."),
    Field("forwarded_to", "emails", "Who received it."),
    _text("instruction", "The controller's instruction.", default=""),
    _text("assistance_tasks", "The processor's assistance tasks.", default=""),
    _instant("closed_at", "When the request was closed."),
)

ASSISTANCE_REQUEST_FIELDS = (
    _text("reference", "The request's reference (AR-2026-001).", 40, required=True),
    _enum("kind", ASSISTANCE_KINDS, "DPIA, prior consultation, security information or an "
          "audit or inspection (Art. 28(3)(f), (h)).", required=True),
    _ref("controller", "controllers", "Key of the controller that asked."),
    Field("received_on", "date", "The day it was received.", required=True),
    Field("due_on", "date", "The day the answer is due.", required=True),
    _text("summary", "What the controller asks.", required=True),
    _date("answered_on", "The day it was answered."),
    _text("answer", "What the processor answered.", default=""),
)

RETURN_OR_DELETION_FIELDS = (
    _enum("end", ("contract", "engagement"), "Which end the evidence follows: the controller's "
          "contract, or a subcontractor's engagement (withdrawn or offboarded).", required=True),
    Field("controller", "ref", "Key of the controller whose data it was; * for every "
          "controller (an every-controller engagement).", required=True, target="controllers",
          max_length=KEY_LENGTH),
    Field("subcontractor", "ref", "Key of the subcontractor that held the data; null for the "
          "processor itself.", target="subcontractors", max_length=KEY_LENGTH),
    Field("trigger_on", "date", "The day of the end the evidence was recorded for.",
          required=True),
    _date("certificate_on", "The day the certificate of return or deletion was received."),
    _date("completed_on", "The day the return or deletion was confirmed complete."),
    _text("notes", "Free-text notes.", default=""),
    _document("certificate", "The certificate (exports made with --with-documents)."),
)

RECORD_FIELDS = {
    "controllers": CONTROLLER_FIELDS,
    "dpas": DPA_FIELDS,
    "instructions": INSTRUCTION_FIELDS,
    "subcontractors": SUBCONTRACTOR_FIELDS,
    "engagements": ENGAGEMENT_FIELDS,
    "attestations": ATTESTATION_FIELDS,
    "incidents": INCIDENT_FIELDS,
    "subject_requests": SUBJECT_REQUEST_FIELDS,
    "assistance_requests": ASSISTANCE_REQUEST_FIELDS,
    "return_or_deletion": RETURN_OR_DELETION_FIELDS,
}
COLLECTIONS = tuple(RECORD_FIELDS)
# Incidents nest their notices and e-mails, requests carry instants, return-or-deletion
# evidence carries its certificate: JSON only, no sheet or CSV file.
JSON_ONLY = ("incidents", "subject_requests", "assistance_requests", "return_or_deletion")
TABULAR_COLLECTIONS = tuple(name for name in COLLECTIONS if name not in JSON_ONLY)

RECORD_HELP = {
    "controllers": "Client organisations whose personal data the processor handles.",
    "dpas": "Data processing agreements, one row per controller and version.",
    "instructions": "Documented instructions from controllers, one row per version.",
    "subcontractors": "Sub-processors, with their current flow-down agreement.",
    "engagements": "Which sub-processor processes which controller's data (* = all).",
    "attestations": "Security evidence from sub-processors (certificates, reports).",
    "incidents": "Personal-data breaches with each affected controller's notice (JSON only).",
    "subject_requests": "Data-subject requests received and forwarded to controllers "
                        "(JSON only).",
    "assistance_requests": "Controllers' requests for assistance: DPIA, prior consultation, "
                           "security information, audits (JSON only).",
    "return_or_deletion": "Certificates and completion of the return or deletion of data at "
                          "the end of a contract or engagement (JSON only).",
}


def columns(collection):
    """Return the flat column names of a collection, as spreadsheets and CSV files carry them."""
    names = []
    for field in RECORD_FIELDS[collection]:
        if not field.tabular:
            continue
        names.extend(_flat_names(field, ""))
    return names


def _flat_names(field, prefix):
    name = prefix + field.name
    if field.kind == "clauses":
        return [f"{name}.{key}" for key in CLAUSE_KEYS]
    if field.kind == "description":
        return [f"{name}.{key}" for key in DESCRIPTION_KEYS]
    if field.kind == "flow_down":
        nested = []
        for inner in FLOW_DOWN_FIELDS:
            if inner.tabular:
                nested.extend(_flat_names(inner, f"{name}."))
        return nested
    return [name]


def column_help(collection):
    """Return (column, explanation, allowed values) for every column of a collection."""
    rows = []
    for field in RECORD_FIELDS[collection]:
        if not field.tabular:
            continue
        for name in _flat_names(field, ""):
            rows.append((name, _explain(field, name), _allowed(field, name)))
    return rows


def _explain(field, name):
    if field.kind == "flow_down":
        inner = next(f for f in FLOW_DOWN_FIELDS if name.startswith(f"flow_down.{f.name}"))
        return f"Flow-down agreement: {_explain(inner, name)}"
    if field.kind == "clauses":
        return f"Yes when the agreement contains the clause {name.rsplit('.', 1)[1]}."
    if field.kind == "description":
        label = name.rsplit(".", 1)[1].replace("_", " ")
        return f"Art. 28(3) description: {label}."
    text = field.help
    if field.required:
        text += " Required."
    return text


def _allowed(field, name):
    if field.kind in {"enum"}:
        return " | ".join(field.choices)
    if field.kind in {"bool", "clauses"} or name.startswith("flow_down.clauses."):
        return "yes | no"
    if field.kind in {"date"} or name.endswith("_on"):
        return "YYYY-MM-DD"
    if field.kind in {"list", "emails", "countries"}:
        return "several, separated by ;"
    return ""
