"""Create every table of the registry: the first schema."""
from peewee import *


def up(migrator, db):
    class AdequacyDecision(Model):
        created_at = DateTimeField()
        updated_at = DateTimeField()
        country_code = CharField(unique=True, max_length=2)
        decided_on = DateField()
        valid_until = DateField(null=True)
        scope_note = TextField(default='')
        class Meta:
            database = db
            table_name = 'adequacy_decision'
    db.create_tables([AdequacyDecision])

    class Alert(Model):
        created_at = DateTimeField()
        updated_at = DateTimeField()
        key = CharField(unique=True, max_length=200)
        subject_type = CharField(max_length=20)
        subject_id = IntegerField()
        kind = CharField(max_length=60)
        threshold = IntegerField(null=True)
        due_on = DateField(null=True)
        recipients = TextField(default='[]')
        subject_line = CharField(max_length=300, default='')
        status = CharField(max_length=10, default='pending', constraints=[Check("status IN ('pending', 'sent', 'failed')")])
        attempts = IntegerField(default=0)
        next_attempt_at = DateTimeField(null=True)
        claimed_at = DateTimeField(null=True)
        sent_at = DateTimeField(null=True)
        message_id = CharField(null=True, max_length=200)
        last_error = TextField(default='')
        class Meta:
            database = db
            table_name = 'alert'
            indexes = ((('status', 'next_attempt_at'), False),)
    db.create_tables([Alert])

    class Subcontractor(Model):
        created_at = DateTimeField()
        updated_at = DateTimeField()
        key = CharField(unique=True, max_length=100)
        name = CharField(index=True, max_length=200)
        business_id = CharField(null=True, max_length=50)
        country = CharField(max_length=2, default='FI')
        website = CharField(max_length=300, default='')
        purpose = TextField(default='')
        data_categories = TextField(default='[]')
        processing_countries = TextField(default='[]')
        transfer_mechanism = CharField(null=True, max_length=20, constraints=[Check("transfer_mechanism IS NULL OR transfer_mechanism IN ('adequacy', 'dpf', 'scc_2021_m2', 'scc_2021_m3', 'bcr', 'scc_2010')")])
        tia_on = DateField(null=True)
        risk_tier = CharField(max_length=10, default='medium', constraints=[Check("risk_tier IN ('low', 'medium', 'high')")])
        handles_card_data = BooleanField(default=False)
        status = CharField(max_length=12, default='proposed', constraints=[Check("status IN ('proposed', 'active', 'offboarded')")])
        offboarded_on = DateField(null=True)
        contacts = TextField(default='[]')
        breach_notice_hours = IntegerField(null=True)
        class Meta:
            database = db
            table_name = 'subcontractor'
    db.create_tables([Subcontractor])

    class AttestationType(Model):
        created_at = DateTimeField()
        updated_at = DateTimeField()
        code = CharField(unique=True, max_length=40)
        name = CharField(max_length=100)
        description = TextField(default='')
        validity_basis = CharField(max_length=12, default='issued_on', constraints=[Check("validity_basis IN ('issued_on', 'period_end')")])
        default_validity_months = IntegerField(null=True)
        counts_for_requirements = BooleanField(default=True)
        bridge_letter_after_months = IntegerField(null=True)
        has_report_period = BooleanField(default=False)
        has_stated_expiry = BooleanField(default=False)
        uploadable = BooleanField(default=True)
        class Meta:
            database = db
            table_name = 'attestation_type'
    db.create_tables([AttestationType])

    class DocumentBlob(Model):
        created_at = DateTimeField()
        updated_at = DateTimeField()
        sha256 = CharField(unique=True, max_length=64)
        content = BlobField()
        size = BigIntegerField()
        class Meta:
            database = db
            table_name = 'document_blob'
    db.create_tables([DocumentBlob])

    class User(Model):
        created_at = DateTimeField()
        updated_at = DateTimeField()
        email = CharField(unique=True, max_length=254)
        full_name = CharField(max_length=200, default='')
        role = CharField(max_length=20, constraints=[Check("role IN ('admin', 'legal', 'auditor', 'subcontractor')")])
        subcontractor = ForeignKeyField(Subcontractor, null=True, on_delete='RESTRICT')
        is_active = BooleanField(default=True)
        password_hash = CharField(null=True)
        password_changed_at = DateTimeField(null=True)
        totp_secret_encrypted = TextField(null=True)
        totp_enabled_at = DateTimeField(null=True)
        totp_last_step = BigIntegerField(default=0)
        failed_attempts = IntegerField(default=0)
        locked_until = DateTimeField(null=True)
        last_login_at = DateTimeField(null=True)
        deactivated_at = DateTimeField(null=True)
        class Meta:
            constraints = [Check("(role = 'subcontractor') = (subcontractor_id IS NOT NULL)")]
            database = db
            table_name = 'user'
    db.create_tables([User])

    class Document(Model):
        created_at = DateTimeField()
        updated_at = DateTimeField()
        blob = ForeignKeyField(DocumentBlob, on_delete='RESTRICT')
        filename = CharField()
        media_type = CharField(max_length=100, default='application/pdf')
        size = BigIntegerField()
        sha256 = CharField(index=True, max_length=64)
        page_count = IntegerField(null=True)
        uploaded_by = ForeignKeyField(User, null=True, on_delete='RESTRICT')
        uploaded_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'document'
    db.create_tables([Document])

    class Attestation(Model):
        created_at = DateTimeField()
        updated_at = DateTimeField()
        subcontractor = ForeignKeyField(Subcontractor, on_delete='RESTRICT')
        attestation_type = ForeignKeyField(AttestationType, on_delete='RESTRICT')
        issuer = CharField(max_length=200, default='')
        reference = CharField(max_length=200, default='')
        scope = TextField(default='')
        standard_version = CharField(null=True, max_length=20)
        issued_on = DateField(null=True)
        period_start = DateField(null=True)
        period_end = DateField(null=True)
        valid_until = DateField(null=True)
        bridge_letter_until = DateField(null=True)
        document = ForeignKeyField(Document, null=True, on_delete='RESTRICT')
        uploaded_by = ForeignKeyField(User, null=True, on_delete='RESTRICT')
        review = CharField(max_length=10, default='pending', constraints=[Check("review IN ('pending', 'accepted', 'rejected')")])
        rejection_reason = TextField(default='')
        reviewed_by = ForeignKeyField(User, null=True, on_delete='RESTRICT')
        reviewed_at = DateTimeField(null=True)
        supersedes = ForeignKeyField('self', null=True, on_delete='RESTRICT')
        class Meta:
            database = db
            table_name = 'attestation'
            indexes = ((('review', 'created_at'), False),)
    db.create_tables([Attestation])

    class AuditEvent(Model):
        occurred_at = DateTimeField(index=True)
        actor = ForeignKeyField(User, null=True, on_delete='RESTRICT')
        actor_label = CharField(max_length=254, default='system')
        ip = CharField(max_length=64, default='')
        action = CharField(index=True, max_length=60)
        object_type = CharField(max_length=40, default='')
        object_id = CharField(max_length=60, default='')
        summary = TextField(default='')
        details = TextField(default='{}')
        previous_hash = CharField(max_length=64)
        hash = CharField(unique=True, max_length=64)
        class Meta:
            database = db
            table_name = 'audit_event'
            indexes = ((('object_type', 'object_id'), False),)
    db.create_tables([AuditEvent])

    class Controller(Model):
        created_at = DateTimeField()
        updated_at = DateTimeField()
        key = CharField(unique=True, max_length=100)
        name = CharField(index=True, max_length=200)
        business_id = CharField(index=True, null=True, max_length=50)
        country = CharField(max_length=2, default='FI')
        privacy_contacts = TextField(default='[]')
        services = TextField(default='[]')
        ordered_via = CharField(null=True, max_length=200)
        status = CharField(max_length=10, default='active', constraints=[Check("status IN ('active', 'ended')")])
        ended_on = DateField(null=True)
        notes = TextField(default='')
        class Meta:
            database = db
            table_name = 'controller'
    db.create_tables([Controller])

    class Dpa(Model):
        created_at = DateTimeField()
        updated_at = DateTimeField()
        clause_documented_instructions = BooleanField(default=False)
        clause_confidentiality = BooleanField(default=False)
        clause_security_art32 = BooleanField(default=False)
        clause_subprocessor_conditions = BooleanField(default=False)
        clause_data_subject_rights = BooleanField(default=False)
        clause_assist_art32_36 = BooleanField(default=False)
        clause_deletion_or_return = BooleanField(default=False)
        clause_audits_and_information = BooleanField(default=False)
        controller = ForeignKeyField(Controller, on_delete='RESTRICT')
        version = IntegerField(default=1, constraints=[Check('version > 0')])
        title = CharField(max_length=200)
        status = CharField(max_length=12, default='draft', constraints=[Check("status IN ('draft', 'signed', 'terminated', 'superseded')")])
        signed_on = DateField(null=True)
        effective_from = DateField(null=True)
        expires_on = DateField(null=True)
        review_due_on = DateField(null=True)
        terminated_on = DateField(null=True)
        return_or_deletion = CharField(null=True, max_length=25, constraints=[Check("return_or_deletion IS NULL OR return_or_deletion IN ('return', 'deletion', 'return_then_deletion')")])
        document = ForeignKeyField(Document, null=True, on_delete='RESTRICT')
        subject_matter = TextField(default='')
        duration = TextField(default='')
        nature_and_purpose = TextField(default='')
        personal_data_types = TextField(default='')
        data_subject_categories = TextField(default='')
        subprocessor_authorisation = CharField(max_length=10, default='general', constraints=[Check("subprocessor_authorisation IN ('general', 'specific')")])
        objection_period_days = IntegerField(default=30, constraints=[Check('objection_period_days >= 0')])
        breach_notice_hours = IntegerField(null=True)
        supersedes = ForeignKeyField('self', null=True, on_delete='RESTRICT')
        class Meta:
            database = db
            table_name = 'dpa'
            indexes = ((('controller', 'version'), True),)
    db.create_tables([Dpa])

    class Engagement(Model):
        created_at = DateTimeField()
        updated_at = DateTimeField()
        subcontractor = ForeignKeyField(Subcontractor, on_delete='RESTRICT')
        controller = ForeignKeyField(Controller, null=True, on_delete='RESTRICT')
        on_list_at_signing = BooleanField(default=False)
        proposed_on = DateField(null=True)
        notified_on = DateField(null=True)
        objection_deadline = DateField(null=True)
        notice_recipients = TextField(default='[]')
        objected_on = DateField(null=True)
        objection_note = TextField(default='')
        approved_on = DateField(null=True)
        approval_document = ForeignKeyField(Document, null=True, on_delete='RESTRICT')
        withdrawn_on = DateField(null=True)
        notes = TextField(default='')
        class Meta:
            database = db
            table_name = 'engagement'
    db.create_tables([Engagement])

    class FlowDownAgreement(Model):
        created_at = DateTimeField()
        updated_at = DateTimeField()
        clause_documented_instructions = BooleanField(default=False)
        clause_confidentiality = BooleanField(default=False)
        clause_security_art32 = BooleanField(default=False)
        clause_subprocessor_conditions = BooleanField(default=False)
        clause_data_subject_rights = BooleanField(default=False)
        clause_assist_art32_36 = BooleanField(default=False)
        clause_deletion_or_return = BooleanField(default=False)
        clause_audits_and_information = BooleanField(default=False)
        subcontractor = ForeignKeyField(Subcontractor, on_delete='RESTRICT')
        signed_on = DateField(null=True)
        document = ForeignKeyField(Document, null=True, on_delete='RESTRICT')
        terminated_on = DateField(null=True)
        supersedes = ForeignKeyField('self', null=True, on_delete='RESTRICT')
        class Meta:
            database = db
            table_name = 'flow_down_agreement'
    db.create_tables([FlowDownAgreement])

    class Instruction(Model):
        created_at = DateTimeField()
        updated_at = DateTimeField()
        controller = ForeignKeyField(Controller, on_delete='RESTRICT')
        dpa = ForeignKeyField(Dpa, null=True, on_delete='RESTRICT')
        title = CharField(max_length=200)
        text = TextField()
        source = CharField(max_length=300, default='')
        received_on = DateField()
        effective_from = DateField(null=True)
        version = IntegerField(default=1, constraints=[Check('version > 0')])
        supersedes = ForeignKeyField('self', null=True, on_delete='RESTRICT')
        document = ForeignKeyField(Document, null=True, on_delete='RESTRICT')
        acknowledged_on = DateField(null=True)
        acknowledged_by = ForeignKeyField(User, null=True, on_delete='RESTRICT')
        class Meta:
            database = db
            table_name = 'instruction'
    db.create_tables([Instruction])

    class Invitation(Model):
        token_hash = CharField(unique=True, max_length=64)
        user = ForeignKeyField(User, on_delete='CASCADE')
        purpose = CharField(max_length=20, default='invitation', constraints=[Check("purpose IN ('invitation', 'password_reset')")])
        created_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        created_at = DateTimeField()
        expires_at = DateTimeField()
        used_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'invitation'
    db.create_tables([Invitation])

    class RecoveryCode(Model):
        user = ForeignKeyField(User, on_delete='CASCADE')
        code_hash = CharField()
        created_at = DateTimeField()
        used_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'recovery_code'
    db.create_tables([RecoveryCode])

    class Requirement(Model):
        created_at = DateTimeField()
        updated_at = DateTimeField()
        key = CharField(unique=True, max_length=60)
        label = CharField(max_length=200)
        tier = CharField(null=True, max_length=10, constraints=[Check("tier IS NULL OR tier IN ('low', 'medium', 'high')")])
        applies_to_card_data = BooleanField(default=False)
        class Meta:
            database = db
            table_name = 'requirement'
    db.create_tables([Requirement])

    class RequirementOption(Model):
        requirement = ForeignKeyField(Requirement, on_delete='CASCADE')
        attestation_type = ForeignKeyField(AttestationType, on_delete='RESTRICT')
        class Meta:
            database = db
            table_name = 'requirement_option'
            indexes = ((('requirement', 'attestation_type'), True),)
    db.create_tables([RequirementOption])

    class Setting(Model):
        created_at = DateTimeField()
        updated_at = DateTimeField()
        key = CharField(unique=True, max_length=60)
        value = TextField(default='')
        class Meta:
            database = db
            table_name = 'setting'
    db.create_tables([Setting])

    class UserSession(Model):
        token_hash = CharField(unique=True, max_length=64)
        user = ForeignKeyField(User, on_delete='CASCADE')
        created_at = DateTimeField()
        last_seen_at = DateTimeField()
        mfa_completed_at = DateTimeField(null=True)
        ended_at = DateTimeField(null=True)
        ip = CharField(max_length=64, default='')
        user_agent = CharField(max_length=300, default='')
        class Meta:
            database = db
            table_name = 'user_session'
    db.create_tables([UserSession])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('user_session'))
    migrator.migrate(migrator.drop_table('setting'))
    migrator.migrate(migrator.drop_table('requirement_option'))
    migrator.migrate(migrator.drop_table('requirement'))
    migrator.migrate(migrator.drop_table('recovery_code'))
    migrator.migrate(migrator.drop_table('invitation'))
    migrator.migrate(migrator.drop_table('instruction'))
    migrator.migrate(migrator.drop_table('flow_down_agreement'))
    migrator.migrate(migrator.drop_table('engagement'))
    migrator.migrate(migrator.drop_table('dpa'))
    migrator.migrate(migrator.drop_table('controller'))
    migrator.migrate(migrator.drop_table('audit_event'))
    migrator.migrate(migrator.drop_table('attestation'))
    migrator.migrate(migrator.drop_table('document'))
    migrator.migrate(migrator.drop_table('user'))
    migrator.migrate(migrator.drop_table('document_blob'))
    migrator.migrate(migrator.drop_table('attestation_type'))
    migrator.migrate(migrator.drop_table('subcontractor'))
    migrator.migrate(migrator.drop_table('alert'))
    migrator.migrate(migrator.drop_table('adequacy_decision'))

