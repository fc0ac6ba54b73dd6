"""All peewee models: the registry's tables. Statuses are derived in registry.compliance, not here.

Dates are `*_on` (DateField); instants are `*_at` (naive UTC DateTimeField). Lists of short
strings (e-mail addresses, country codes) are JSON text so that SQLite and PostgreSQL agree.
Nothing is hard-deleted: rows end by status and date so that history can always be answered.
"""

import json

from peewee import (
    BigIntegerField,
    BlobField,
    BooleanField,
    CharField,
    Check,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)

from registry.clock import naive_utc_now
from registry.compliance import CLAUSE_KEYS, TRANSFER_MECHANISMS
from registry.compliance.facts import (
    AUTHORISATIONS,
    CONTROLLER_STATUSES,
    DPA_STATUSES,
    REVIEW_STATES,
    RISK_TIERS,
    SUBCONTRACTOR_STATUSES,
    VALIDITY_BASES,
)
from registry.compliance.requests import (
    ASSISTANCE_KINDS,
    CHANNELS,
    DEFAULT_FORWARD_DAYS,
    REQUEST_TYPES,
)
from registry.extensions import database
from registry.fields import DateField, DateTimeField
from registry.i18n import LANGUAGES

ROLES = ("admin", "legal", "auditor", "subcontractor")
AUTHORISATION_TYPES = AUTHORISATIONS
RETURN_OR_DELETION = ("return", "deletion", "return_then_deletion")
ALERT_STATUSES = ("pending", "sent", "failed")
INVITATION_PURPOSES = ("invitation", "password_reset")
INCIDENT_DETECTORS = ("internal", "subcontractor")
# Who the incident affects: the controllers chosen, or every controller whose data the
# subcontractor processes (resolved to notices when the incident is recorded).
INCIDENT_SCOPES = ("controllers", "subcontractor")
INCIDENT_MESSAGE_KINDS = ("initial", "follow_up")
# What a controller confirms by e-mail from its own page.
CONFIRMATION_KINDS = ("objection", "late_objection", "instruction")
MAIL_STATUSES = ("queued", "sent", "failed")


def utcnow():
    """Return now (the app's clock) in UTC as a naive datetime, the form `*_at` columns store."""
    return naive_utc_now()


def one_of(column, values, nullable=False):
    """Return a CHECK constraint that keeps `column` inside `values` (or NULL when allowed)."""
    quoted = ", ".join(f"'{value}'" for value in values)
    condition = f"{column} IN ({quoted})"
    return Check(f"{column} IS NULL OR {condition}" if nullable else condition)


def transfer_mechanism_field():
    """Return the column of a transfer mechanism (one of TRANSFER_MECHANISMS, or none)."""
    return CharField(
        max_length=20,
        null=True,
        constraints=[one_of("transfer_mechanism", tuple(TRANSFER_MECHANISMS), nullable=True)],
    )


class JSONListField(TextField):
    """A list of JSON values stored as text (portable across SQLite and PostgreSQL)."""

    def db_value(self, value):
        return json.dumps(list(value or []), ensure_ascii=False)

    def python_value(self, value):
        return json.loads(value) if value else []


class TableModel(Model):
    """A table bound to the shared database proxy, with snake_case table names."""

    class Meta:
        database = database
        legacy_table_names = False


class BaseModel(TableModel):
    """A table whose rows carry `created_at` and `updated_at`.

    Controllers, subcontractors, DPAs, instructions and engagements also carry `row_version`,
    raised by every change made through registry.editing, so that a form can tell it is stale.
    """

    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)

    def save(self, *args, **kwargs):
        """Save the row, stamping `updated_at`."""
        self.updated_at = utcnow()
        return super().save(*args, **kwargs)

    @classmethod
    def update(cls, __data=None, **update):
        """Build an UPDATE that also stamps `updated_at` (caches compare it to see changes)."""
        data = dict(__data or {})
        if "updated_at" not in update and cls.updated_at not in data:
            update["updated_at"] = utcnow()
        return super().update(data or None, **update)


class ClauseChecklist(BaseModel):
    """Abstract: one flag per Art. 28(3) clause (a)-(h), shared by DPAs and flow-down agreements."""

    clause_documented_instructions = BooleanField(default=False)
    clause_confidentiality = BooleanField(default=False)
    clause_security_art32 = BooleanField(default=False)
    clause_subprocessor_conditions = BooleanField(default=False)
    clause_data_subject_rights = BooleanField(default=False)
    clause_assist_art32_36 = BooleanField(default=False)
    clause_deletion_or_return = BooleanField(default=False)
    clause_audits_and_information = BooleanField(default=False)

    @property
    def clauses(self):
        """Return {clause key: present?} in the order of Art. 28(3)."""
        return {key: getattr(self, f"clause_{key}") for key in CLAUSE_KEYS}

    def set_clauses(self, clauses):
        """Set the clause flags from a {key: bool} mapping; unknown keys are an error."""
        unknown = set(clauses) - set(CLAUSE_KEYS)
        if unknown:
            raise ValueError(f"unknown clause keys: {', '.join(sorted(unknown))}")
        for key, present in clauses.items():
            setattr(self, f"clause_{key}", bool(present))


class DocumentBlob(BaseModel):
    """The bytes of a file, stored once per SHA-256."""

    sha256 = CharField(max_length=64, unique=True)
    content = BlobField()
    size = BigIntegerField()


class Controller(BaseModel):
    """A client organisation whose personal data the processor handles."""

    key = CharField(max_length=100, unique=True)
    name = CharField(max_length=200, index=True)
    business_id = CharField(max_length=50, null=True, index=True)
    country = CharField(max_length=2, default="FI")
    privacy_contacts = JSONListField(default=list)
    services = JSONListField(default=list)
    ordered_via = CharField(max_length=200, null=True)
    status = CharField(
        max_length=10, default="active", constraints=[one_of("status", CONTROLLER_STATUSES)]
    )
    ended_on = DateField(null=True)
    notes = TextField(default="")
    # The language the registry writes to this company in (registry.i18n.company_language).
    language = CharField(max_length=2, default="en", constraints=[one_of("language", LANGUAGES)])
    row_version = IntegerField(default=1)


class Subcontractor(BaseModel):
    """A sub-processor engaged by the processor (Art. 28(2) and (4))."""

    key = CharField(max_length=100, unique=True)
    name = CharField(max_length=200, index=True)
    business_id = CharField(max_length=50, null=True)
    country = CharField(max_length=2, default="FI")
    website = CharField(max_length=300, default="")
    purpose = TextField(default="")
    data_categories = JSONListField(default=list)
    processing_countries = JSONListField(default=list)
    transfer_mechanism = transfer_mechanism_field()
    tia_on = DateField(null=True)
    risk_tier = CharField(
        max_length=10, default="medium", constraints=[one_of("risk_tier", RISK_TIERS)]
    )
    handles_card_data = BooleanField(default=False)
    status = CharField(
        max_length=12, default="proposed", constraints=[one_of("status", SUBCONTRACTOR_STATUSES)]
    )
    offboarded_on = DateField(null=True)
    contacts = JSONListField(default=list)
    breach_notice_hours = IntegerField(null=True)
    language = CharField(max_length=2, default="en", constraints=[one_of("language", LANGUAGES)])
    row_version = IntegerField(default=1)
    # The sub-processor that engages this one (a chain, Art. 28(4)); None: engaged by us.
    parent = ForeignKeyField("self", null=True, backref="children", on_delete="RESTRICT")


# The facts of a subcontractor the engine reads as of a day (GDPR-REFERENCE rule 23).
DATED_SUBCONTRACTOR_FIELDS = (
    "status", "risk_tier", "country", "processing_countries", "transfer_mechanism", "tia_on",
    "handles_card_data", "breach_notice_hours", "parent",
)


class SubcontractorHistory(BaseModel):
    """What a subcontractor's dated facts were until `valid_until` (inclusive).

    Written when one of them changes: the row keeps the values before the change, and the
    subcontractor row holds the values from the day of the change on.
    """

    subcontractor = ForeignKeyField(Subcontractor, backref="history", on_delete="RESTRICT")
    valid_until = DateField()
    status = CharField(max_length=12, constraints=[one_of("status", SUBCONTRACTOR_STATUSES)])
    risk_tier = CharField(max_length=10, constraints=[one_of("risk_tier", RISK_TIERS)])
    country = CharField(max_length=2)
    processing_countries = JSONListField(default=list)
    transfer_mechanism = transfer_mechanism_field()
    tia_on = DateField(null=True)
    handles_card_data = BooleanField(default=False)
    breach_notice_hours = IntegerField(null=True)
    parent = ForeignKeyField(Subcontractor, null=True, backref="+", index=False,
                             on_delete="RESTRICT")

    class Meta:
        indexes = ((("subcontractor", "valid_until"), False),)


class User(BaseModel):
    """Someone who signs in: legal staff, an auditor, an admin or a subcontractor's user."""

    email = CharField(max_length=254, unique=True)
    full_name = CharField(max_length=200, default="")
    role = CharField(max_length=20, constraints=[one_of("role", ROLES)])
    subcontractor = ForeignKeyField(
        Subcontractor, null=True, backref="users", on_delete="RESTRICT"
    )
    is_active = BooleanField(default=True)
    password_hash = CharField(max_length=255, null=True)
    password_changed_at = DateTimeField(null=True)
    totp_secret_encrypted = TextField(null=True)
    totp_enabled_at = DateTimeField(null=True)
    totp_last_step = BigIntegerField(default=0)
    # The session that claimed totp_last_step: its own resubmission is a double click, not a replay.
    totp_last_session_id = IntegerField(null=True)
    failed_attempts = IntegerField(default=0)
    locked_until = DateTimeField(null=True)
    last_login_at = DateTimeField(null=True)
    deactivated_at = DateTimeField(null=True)
    # The user's own choice of language; None follows the browser's Accept-Language.
    language = CharField(
        max_length=2, null=True, constraints=[one_of("language", LANGUAGES, nullable=True)]
    )

    # Flask-Login: a loaded User has signed in with both factors (inactive users never load).
    is_authenticated = True
    is_anonymous = False

    class Meta:
        constraints = [
            Check("(role = 'subcontractor') = (subcontractor_id IS NOT NULL)"),
        ]

    def get_id(self):
        """Return the id Flask-Login knows the user by."""
        return str(self.id)


class Document(BaseModel):
    """An uploaded or generated file as people see it; the bytes live in DocumentBlob."""

    blob = ForeignKeyField(DocumentBlob, backref="documents", on_delete="RESTRICT")
    filename = CharField(max_length=255)
    media_type = CharField(max_length=100, default="application/pdf")
    size = BigIntegerField()
    sha256 = CharField(max_length=64, index=True)
    page_count = IntegerField(null=True)
    uploaded_by = ForeignKeyField(User, null=True, backref="documents", on_delete="RESTRICT")
    uploaded_at = DateTimeField(default=utcnow)


class FlowDownAgreement(ClauseChecklist):
    """The back-to-back agreement that imposes the DPA's obligations on a subcontractor (28(4))."""

    subcontractor = ForeignKeyField(
        Subcontractor, backref="flow_down_agreements", on_delete="RESTRICT"
    )
    signed_on = DateField(null=True)
    document = ForeignKeyField(Document, null=True, on_delete="RESTRICT")
    terminated_on = DateField(null=True)
    supersedes = ForeignKeyField("self", null=True, on_delete="RESTRICT")


class Dpa(ClauseChecklist):
    """A data processing agreement with one controller, in one version."""

    controller = ForeignKeyField(Controller, backref="dpas", on_delete="RESTRICT")
    version = IntegerField(default=1, constraints=[Check("version > 0")])
    title = CharField(max_length=200)
    status = CharField(
        max_length=12, default="draft", constraints=[one_of("status", DPA_STATUSES)]
    )
    signed_on = DateField(null=True)
    effective_from = DateField(null=True)
    expires_on = DateField(null=True)
    review_due_on = DateField(null=True)
    terminated_on = DateField(null=True)
    return_or_deletion = CharField(
        max_length=25,
        null=True,
        constraints=[one_of("return_or_deletion", RETURN_OR_DELETION, nullable=True)],
    )
    document = ForeignKeyField(Document, null=True, on_delete="RESTRICT")
    subject_matter = TextField(default="")
    duration = TextField(default="")
    nature_and_purpose = TextField(default="")
    personal_data_types = TextField(default="")
    data_subject_categories = TextField(default="")
    subprocessor_authorisation = CharField(
        max_length=10,
        default="general",
        constraints=[one_of("subprocessor_authorisation", AUTHORISATIONS)],
    )
    # Working days (Monday to Friday) to forward a data-subject request to the controller.
    dsr_forward_days = IntegerField(
        default=DEFAULT_FORWARD_DAYS, constraints=[Check("dsr_forward_days > 0")]
    )
    objection_period_days = IntegerField(
        default=30, constraints=[Check("objection_period_days >= 0")]
    )
    breach_notice_hours = IntegerField(null=True)
    # Days after the end within which the data is returned or deleted (Art. 28(3)(g)).
    return_or_deletion_days = IntegerField(
        default=30, constraints=[Check("return_or_deletion_days >= 0")]
    )
    supersedes = ForeignKeyField("self", null=True, backref="superseded_by", on_delete="RESTRICT")
    row_version = IntegerField(default=1)

    class Meta:
        indexes = ((("controller", "version"), True),)


class Instruction(BaseModel):
    """A documented instruction from a controller; a change is a new version, never an edit."""

    controller = ForeignKeyField(Controller, backref="instructions", on_delete="RESTRICT")
    dpa = ForeignKeyField(Dpa, null=True, backref="instructions", on_delete="RESTRICT")
    title = CharField(max_length=200)
    text = TextField()
    source = CharField(max_length=300, default="")
    received_on = DateField()
    effective_from = DateField(null=True)
    version = IntegerField(default=1, constraints=[Check("version > 0")])
    supersedes = ForeignKeyField("self", null=True, backref="superseded_by", on_delete="RESTRICT")
    document = ForeignKeyField(Document, null=True, on_delete="RESTRICT")
    acknowledged_on = DateField(null=True)
    acknowledged_by = ForeignKeyField(User, null=True, on_delete="RESTRICT")
    row_version = IntegerField(default=1)


class Engagement(BaseModel):
    """That a subcontractor processes one controller's data (controller NULL: every controller's).

    Only facts are stored; whether it is authorised is derived by registry.compliance.
    """

    subcontractor = ForeignKeyField(Subcontractor, backref="engagements", on_delete="RESTRICT")
    controller = ForeignKeyField(
        Controller, null=True, backref="engagements", on_delete="RESTRICT"
    )
    on_list_at_signing = BooleanField(default=False)
    proposed_on = DateField(null=True)
    notified_on = DateField(null=True)
    objection_deadline = DateField(null=True)
    notice_recipients = JSONListField(default=list)
    notice_sent_at = DateTimeField(null=True)
    notice_error = TextField(default="")
    objected_on = DateField(null=True)
    objection_note = TextField(default="")
    approved_on = DateField(null=True)
    approval_document = ForeignKeyField(Document, null=True, on_delete="RESTRICT")
    withdrawn_on = DateField(null=True)
    notes = TextField(default="")
    row_version = IntegerField(default=1)


class ReturnOrDeletion(BaseModel):
    """The evidence of one return-or-deletion item (Art. 28(3)(g)): its certificate and the day
    the return or deletion was confirmed complete.

    The items themselves are derived by registry.compliance.return_or_deletion from the dated
    ends; a row exists once evidence is recorded, under the item's `item_key`. The controller,
    subcontractor and engagement name the item for queries; `trigger_on` is the end it was
    recorded for.
    """

    item_key = CharField(max_length=80, unique=True)
    controller = ForeignKeyField(
        Controller, null=True, backref="returns_or_deletions", on_delete="RESTRICT"
    )
    subcontractor = ForeignKeyField(
        Subcontractor, null=True, backref="returns_or_deletions", on_delete="RESTRICT"
    )
    engagement = ForeignKeyField(
        Engagement, null=True, backref="returns_or_deletions", on_delete="RESTRICT"
    )
    trigger_on = DateField()
    certificate = ForeignKeyField(Document, null=True, on_delete="RESTRICT")
    certificate_on = DateField(null=True)
    completed_on = DateField(null=True)
    completed_by = ForeignKeyField(User, null=True, on_delete="RESTRICT")
    notes = TextField(default="")
    row_version = IntegerField(default=1)

    class Meta:
        # Completed only with the certificate in hand.
        constraints = [Check("completed_on IS NULL OR certificate_id IS NOT NULL")]


class AttestationType(BaseModel):
    """A kind of evidence (ISO 27001 certificate, SOC 2 Type II report ...) and its validity."""

    code = CharField(max_length=40, unique=True)
    name = CharField(max_length=100)
    description = TextField(default="")
    validity_basis = CharField(
        max_length=12, default="issued_on", constraints=[one_of("validity_basis", VALIDITY_BASES)]
    )
    default_validity_months = IntegerField(null=True)
    counts_for_requirements = BooleanField(default=True)
    bridge_letter_after_months = IntegerField(null=True)
    has_report_period = BooleanField(default=False)
    has_stated_expiry = BooleanField(default=False)
    uploadable = BooleanField(default=True)


class Requirement(BaseModel):
    """A group of acceptable attestation types; any one accepted, current attestation satisfies it.

    It applies to every subcontractor of `tier`, or (applies_to_card_data) to those handling cards.
    A retired group (`retired_on` set) is kept for history but no longer required of anyone.
    """

    key = CharField(max_length=60, unique=True)
    label = CharField(max_length=200)
    tier = CharField(max_length=10, null=True, constraints=[one_of("tier", RISK_TIERS, True)])
    applies_to_card_data = BooleanField(default=False)
    retired_on = DateField(null=True)


class RequirementOption(TableModel):
    """One acceptable attestation type of a requirement group."""

    requirement = ForeignKeyField(Requirement, backref="options", on_delete="CASCADE")
    attestation_type = ForeignKeyField(AttestationType, on_delete="RESTRICT")

    class Meta:
        indexes = ((("requirement", "attestation_type"), True),)


class Attestation(BaseModel):
    """One piece of security evidence from a subcontractor, with its review."""

    subcontractor = ForeignKeyField(Subcontractor, backref="attestations", on_delete="RESTRICT")
    attestation_type = ForeignKeyField(AttestationType, on_delete="RESTRICT")
    issuer = CharField(max_length=200, default="")
    reference = CharField(max_length=200, default="")
    scope = TextField(default="")
    standard_version = CharField(max_length=20, null=True)
    issued_on = DateField(null=True)
    period_start = DateField(null=True)
    period_end = DateField(null=True)
    valid_until = DateField(null=True)
    bridge_letter_until = DateField(null=True)
    document = ForeignKeyField(Document, null=True, on_delete="RESTRICT")
    uploaded_by = ForeignKeyField(User, null=True, on_delete="RESTRICT")
    review = CharField(
        max_length=10, default="pending", constraints=[one_of("review", REVIEW_STATES)]
    )
    rejection_reason = TextField(default="")
    reviewed_by = ForeignKeyField(User, null=True, on_delete="RESTRICT")
    reviewed_at = DateTimeField(null=True)
    supersedes = ForeignKeyField("self", null=True, on_delete="RESTRICT")

    class Meta:
        indexes = ((("review", "created_at"), False),)


class AdequacyDecision(BaseModel):
    """A Commission adequacy decision (Art. 45) for a country: data the admin keeps current."""

    country_code = CharField(max_length=2, index=True)
    decided_on = DateField()
    valid_until = DateField(null=True)
    scope_note = TextField(default="")

    class Meta:
        # A country has a history of decisions, each known by its date.
        indexes = ((("country_code", "decided_on"), True),)


class UserSession(TableModel):
    """A server-side session; the cookie carries only a random id whose hash is stored.

    `user` is NULL before the password step (the session then holds only the CSRF token and
    flashed messages); `mfa_completed_at` is set once the second factor was accepted.
    """

    token_hash = CharField(max_length=64, unique=True)
    user = ForeignKeyField(User, null=True, backref="sessions", on_delete="CASCADE")
    data = TextField(default="{}")
    created_at = DateTimeField(default=utcnow)
    last_seen_at = DateTimeField(default=utcnow, index=True)
    mfa_completed_at = DateTimeField(null=True)
    ended_at = DateTimeField(null=True)
    ip = CharField(max_length=64, default="")
    user_agent = CharField(max_length=300, default="")


class RecoveryCode(TableModel):
    """A single-use recovery code, stored hashed."""

    user = ForeignKeyField(User, backref="recovery_codes", on_delete="CASCADE")
    code_hash = CharField(max_length=255)
    created_at = DateTimeField(default=utcnow)
    used_at = DateTimeField(null=True)


class Invitation(TableModel):
    """A single-use link to set a password: an invitation or a password reset."""

    token_hash = CharField(max_length=64, unique=True)
    user = ForeignKeyField(User, backref="invitations", on_delete="CASCADE")
    purpose = CharField(
        max_length=20, default="invitation", constraints=[one_of("purpose", INVITATION_PURPOSES)]
    )
    created_by = ForeignKeyField(User, null=True, on_delete="SET NULL")
    created_at = DateTimeField(default=utcnow)
    expires_at = DateTimeField()
    used_at = DateTimeField(null=True)


class AuditEvent(TableModel):
    """Who did what to which object, when and from where: append-only and hash-chained."""

    occurred_at = DateTimeField(default=utcnow, index=True)
    actor = ForeignKeyField(User, null=True, on_delete="RESTRICT")
    actor_label = CharField(max_length=254, default="system")
    ip = CharField(max_length=64, default="")
    action = CharField(max_length=60, index=True)
    object_type = CharField(max_length=40, default="")
    object_id = CharField(max_length=60, default="")
    summary = TextField(default="")
    details = TextField(default="{}")
    previous_hash = CharField(max_length=64, unique=True)
    hash = CharField(max_length=64, unique=True)
    # "<key id>:<HMAC-SHA256 of hash>" under REGISTRY_AUDIT_KEY (see registry/audit_mac.py).
    mac = CharField(max_length=80, null=True)

    class Meta:
        indexes = ((("object_type", "object_id"), False),)


class PasswordResetRequest(TableModel):
    """One request for a reset link, for any address typed (known or not): the hourly mail cap.

    The address is stored only as its SHA-256, and rows older than an hour are removed.
    """

    address_hash = CharField(max_length=64, index=True)
    requested_at = DateTimeField(default=utcnow, index=True)


class Alert(BaseModel):
    """One notice that was due; its unique key makes sending idempotent across runs and workers."""

    key = CharField(max_length=200, unique=True)
    audience = CharField(max_length=40, default="legal", index=True)
    subject_type = CharField(max_length=20)
    subject_id = IntegerField()
    kind = CharField(max_length=60)
    threshold = IntegerField(null=True)
    due_on = DateField(null=True)
    recipients = JSONListField(default=list)
    subject_line = CharField(max_length=300, default="")
    status = CharField(
        max_length=10, default="pending", constraints=[one_of("status", ALERT_STATUSES)]
    )
    attempts = IntegerField(default=0)
    next_attempt_at = DateTimeField(null=True)
    claimed_at = DateTimeField(null=True)
    sent_at = DateTimeField(null=True)
    message_id = CharField(max_length=200, null=True)
    last_error = TextField(default="")
    claim_token = CharField(max_length=32, null=True, index=True)
    details = TextField(default="{}")

    class Meta:
        indexes = ((("status", "next_attempt_at"), False),)


class ControllerLink(TableModel):
    """A controller's capability link to its own page: a 256-bit token, stored as its SHA-256
    for the lookup and encrypted (registry.controller_pages.tokens) so that mail can carry it.

    Active until `revoked_at`; `view_count` and `last_seen_at` tell legal staff it is used.
    """

    controller = ForeignKeyField(Controller, backref="links", on_delete="RESTRICT")
    token_hash = CharField(max_length=64, unique=True)
    token_encrypted = TextField()
    issued_at = DateTimeField(default=utcnow)
    issued_by = ForeignKeyField(User, null=True, on_delete="RESTRICT")
    revoked_at = DateTimeField(null=True)
    revoked_by = ForeignKeyField(User, null=True, on_delete="RESTRICT")
    last_seen_at = DateTimeField(null=True)
    view_count = IntegerField(default=0)


class ControllerLinkVisitor(TableModel):
    """One address that opened a link, kept only as a hash: "viewed from N addresses"."""

    link = ForeignKeyField(ControllerLink, backref="visitors", on_delete="CASCADE")
    address_hash = CharField(max_length=64)
    first_seen_at = DateTimeField(default=utcnow)
    last_seen_at = DateTimeField(default=utcnow)
    views = IntegerField(default=1)

    class Meta:
        indexes = ((("link", "address_hash"), True),)


class ControllerConfirmation(TableModel):
    """A single-use e-mailed confirmation of what was asked on a controller's page: an
    objection (in time or late) or that an instruction's registered text is the controller's.

    One row per privacy contact written to, all sharing `request_key`: the first confirmed
    uses up the others. Expires at `expires_at` (72 hours).
    """

    request_key = CharField(max_length=32, index=True)
    controller = ForeignKeyField(Controller, backref="confirmations", on_delete="RESTRICT")
    kind = CharField(max_length=14, constraints=[one_of("kind", CONFIRMATION_KINDS)])
    engagement = ForeignKeyField(Engagement, null=True, on_delete="RESTRICT")
    instruction = ForeignKeyField(Instruction, null=True, on_delete="RESTRICT")
    reason = TextField(default="")
    email = CharField(max_length=254)
    token_hash = CharField(max_length=64, unique=True)
    requested_at = DateTimeField(default=utcnow)
    expires_at = DateTimeField()
    used_at = DateTimeField(null=True)
    confirmed_at = DateTimeField(null=True, index=True)


class SubprocessorSubscription(TableModel):
    """An e-mail subscription to the public sub-processor page's changes (double opt-in).

    Active once `confirmed_at` is set and until `unsubscribed_at`; `last_sent_on` is the last
    day whose changes were mailed. The confirmation token is stored as its SHA-256; the
    unsubscribe link is an HMAC of the id (registry.controller_pages.tokens), so every mail
    can carry one that keeps working.
    """

    email = CharField(max_length=254, index=True)
    confirm_token_hash = CharField(max_length=64, unique=True, null=True)
    requested_at = DateTimeField(default=utcnow)
    confirmed_at = DateTimeField(null=True)
    unsubscribed_at = DateTimeField(null=True)
    last_sent_on = DateField(null=True)


class Incident(BaseModel):
    """A personal-data breach (Art. 33): what is known of it, for the controllers' own notices.

    `aware_at` is when the processor became aware (for a subcontractor's report: when the
    report arrived); `subcontractor_aware_at` when the reporting subcontractor itself did.
    An incident is open until `closed_at`.
    """

    reference = CharField(max_length=40, unique=True)
    title = CharField(max_length=200)
    aware_at = DateTimeField(index=True)
    detected_by = CharField(
        max_length=13, default="internal", constraints=[one_of("detected_by", INCIDENT_DETECTORS)]
    )
    subcontractor = ForeignKeyField(
        Subcontractor, null=True, backref="incidents", on_delete="RESTRICT"
    )
    subcontractor_aware_at = DateTimeField(null=True)
    affected_scope = CharField(
        max_length=13, default="controllers",
        constraints=[one_of("affected_scope", INCIDENT_SCOPES)],
    )
    nature = TextField(default="")
    data_subject_categories = TextField(default="")
    data_subject_count = IntegerField(null=True)
    record_categories = TextField(default="")
    record_count = BigIntegerField(null=True)
    likely_consequences = TextField(default="")
    measures = TextField(default="")
    contact_point = TextField(default="")
    recorded_by = ForeignKeyField(User, null=True, on_delete="RESTRICT")
    closed_at = DateTimeField(null=True)
    row_version = IntegerField(default=1)

    class Meta:
        # A subcontractor's report, and "every controller whose data S processes", name S.
        constraints = [
            Check("detected_by = 'internal' OR subcontractor_id IS NOT NULL"),
            Check("affected_scope = 'controllers' OR subcontractor_id IS NOT NULL"),
        ]


class IncidentNotice(BaseModel):
    """One affected controller's notice of an incident: due at `due_at`, given at `notified_at`.

    `breach_notice_hours` are the hours the controller's DPA set when the incident became
    known (None: the DPA set none and the configured default applied).
    """

    incident = ForeignKeyField(Incident, backref="notices", on_delete="RESTRICT")
    controller = ForeignKeyField(Controller, backref="incident_notices", on_delete="RESTRICT")
    breach_notice_hours = IntegerField(null=True)
    due_at = DateTimeField()
    notified_at = DateTimeField(null=True)
    recipients = JSONListField(default=list)

    class Meta:
        indexes = ((("incident", "controller"), True),)


class IncidentMessage(BaseModel):
    """One e-mail of a notice (the first, or an Art. 33(4) follow-up), and its delivery.

    Recorded in the request, delivered by the worker: `sent_at` or `error` say how it went.
    """

    notice = ForeignKeyField(IncidentNotice, backref="messages", on_delete="RESTRICT")
    kind = CharField(
        max_length=10, default="initial", constraints=[one_of("kind", INCIDENT_MESSAGE_KINDS)]
    )
    text = TextField(default="")
    recipients = JSONListField(default=list)
    sent_by = ForeignKeyField(User, null=True, on_delete="RESTRICT")
    sent_at = DateTimeField(null=True)
    message_id = CharField(max_length=200, null=True)
    error = TextField(default="")


class SubjectRequest(BaseModel):
    """A data-subject request the processor received (Art. 28(3)(e)), to forward to its
    controller by `due_at` (None controller: not identified yet).

    `forward_days` are the working days the controller's DPA set on the day it arrived (None:
    no DPA in force, the default applied). Forwarding is queued in the request
    (`forward_recipients`) and mailed by the worker, which records `forwarded_at` and
    `forwarded_to`, or `forward_error`. Open until `closed_at`.
    """

    reference = CharField(max_length=40, unique=True)
    received_at = DateTimeField(index=True)
    channel = CharField(max_length=10, constraints=[one_of("channel", CHANNELS)])
    request_type = CharField(max_length=13, constraints=[one_of("request_type", REQUEST_TYPES)])
    controller = ForeignKeyField(
        Controller, null=True, backref="subject_requests", on_delete="RESTRICT"
    )
    subject_reference = CharField(max_length=200)
    details = TextField(default="")
    forward_days = IntegerField(null=True)
    due_at = DateTimeField()
    forward_recipients = JSONListField(default=list)
    forward_message_id = CharField(max_length=200, null=True)
    forward_error = TextField(default="")
    forwarded_at = DateTimeField(null=True)
    forwarded_to = JSONListField(default=list)
    instruction = TextField(default="")
    assistance_tasks = TextField(default="")
    recorded_by = ForeignKeyField(User, null=True, on_delete="RESTRICT")
    closed_at = DateTimeField(null=True)
    row_version = IntegerField(default=1)


class AssistanceRequest(BaseModel):
    """A controller's request for the processor's help (Art. 28(3)(f), (h)): a DPIA, a prior
    consultation, security information, an audit or inspection. Open until `answered_on`."""

    reference = CharField(max_length=40, unique=True)
    kind = CharField(max_length=20, constraints=[one_of("kind", ASSISTANCE_KINDS)])
    controller = ForeignKeyField(
        Controller, backref="assistance_requests", on_delete="RESTRICT"
    )
    received_on = DateField(index=True)
    due_on = DateField()
    summary = TextField(default="")
    answered_on = DateField(null=True)
    answer = TextField(default="")
    answer_document = ForeignKeyField(Document, null=True, on_delete="RESTRICT")
    recorded_by = ForeignKeyField(User, null=True, on_delete="RESTRICT")
    row_version = IntegerField(default=1)

    class Meta:
        constraints = [Check("due_on >= received_on")]


class MailMessage(BaseModel):
    """One e-mail in the outbox: queued in the transaction of the change it tells about.

    `content` is the whole message as composed (RFC 5322 bytes); it is emptied once the message
    was sent or given up, so reset and invitation links do not outlive their delivery. The
    rest stays as the delivery record (registry.mail.outbox).
    """

    message_id = CharField(max_length=250, index=True)
    purpose = CharField(max_length=60)
    recipients = JSONListField(default=list)
    content = BlobField()
    status = CharField(max_length=6, default="queued",
                       constraints=[one_of("status", MAIL_STATUSES)])
    attempts = IntegerField(default=0)
    next_attempt_at = DateTimeField()
    claim_token = CharField(max_length=32, null=True)
    claimed_at = DateTimeField(null=True)
    last_error = TextField(default="")
    sent_at = DateTimeField(null=True)

    class Meta:
        table_name = "mail_outbox"
        indexes = ((("status", "next_attempt_at"), False),)


class Setting(BaseModel):
    """An admin-maintained setting (processor name and contact, security measures text ...)."""

    key = CharField(max_length=60, unique=True)
    value = TextField(default="")


class PendingImport(TableModel):
    """An import file checked by a dry run, waiting for the confirmation of the session that
    checked it.

    It lives in the database, not on the web host's disk, so that whichever host takes the
    confirmation imports exactly the bytes that were checked. Transient, unlike the registry's
    rows: deleted once confirmed, an hour after the check, or with its session.
    """

    session = ForeignKeyField(UserSession, unique=True, backref="pending_imports",
                              on_delete="CASCADE")
    filename = CharField(max_length=200)
    content = BlobField()
    checked_at = DateTimeField(default=utcnow, index=True)


REPORT_JOB_STATUSES = ("queued", "running", "done", "failed")


class ReportJob(BaseModel):
    """A whole-registry PDF report requested on the web and made by the worker (or the report
    thread of `dpa-registry serve`): registry.reports.jobs.

    The PDF is stored as `document`; the job and its document are deleted at `expires_at`.
    Only the requester and admins see it.
    """

    requested_by = ForeignKeyField(User, backref="report_jobs", on_delete="RESTRICT")
    kind = CharField(max_length=40)
    as_of = DateField()
    status = CharField(max_length=7, default="queued",
                       constraints=[one_of("status", REPORT_JOB_STATUSES)])
    progress = CharField(max_length=200, default="")
    error = TextField(default="")
    claim_token = CharField(max_length=32, null=True)
    started_at = DateTimeField(null=True)
    finished_at = DateTimeField(null=True)
    expires_at = DateTimeField(index=True)
    document = ForeignKeyField(Document, null=True, on_delete="RESTRICT")
    # The language of the page that asked for it (the requester's choice, else their browser's);
    # None for a job queued before it was kept: then the requester's choice, else English.
    language = CharField(
        max_length=2, null=True, constraints=[one_of("language", LANGUAGES, nullable=True)])

    class Meta:
        indexes = ((("status", "created_at"), False),)


MODELS = (
    DocumentBlob,
    Controller,
    Subcontractor,
    User,
    Document,
    FlowDownAgreement,
    Dpa,
    Instruction,
    Engagement,
    ReturnOrDeletion,
    AttestationType,
    Requirement,
    RequirementOption,
    Attestation,
    AdequacyDecision,
    UserSession,
    RecoveryCode,
    Invitation,
    AuditEvent,
    PasswordResetRequest,
    Alert,
    ControllerLink,
    ControllerLinkVisitor,
    ControllerConfirmation,
    SubprocessorSubscription,
    Setting,
    SubjectRequest,
    AssistanceRequest,
    Incident,
    IncidentNotice,
    IncidentMessage,
    PendingImport,
    MailMessage,
    ReportJob,
)
