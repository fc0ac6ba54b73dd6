"""Forms of the review queue."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from registry.attestations.operations import MAX_REASON_LENGTH


class AcceptForm(FlaskForm):
    """Accept an attestation (the button carries only the CSRF token)."""

    submit = SubmitField(_l("Accept"))


class RejectForm(FlaskForm):
    """Reject an attestation with the reason the subcontractor will read."""

    reason = TextAreaField(
        _l("Reason for the subcontractor"),
        validators=[DataRequired(_l("Say why it is rejected: the subcontractor will read it.")),
                    Length(max=MAX_REASON_LENGTH)],
        filters=[lambda value: (value or "").strip()],
        description=_l(
            "E.g. the certificate has expired, or its scope does not cover the service."))
    submit = SubmitField(_l("Reject"))


class RevokeForm(FlaskForm):
    """Revoke an acceptance made in error, with the reason the audit trail keeps."""

    reason = TextAreaField(
        _l("Why is the acceptance revoked?"),
        validators=[DataRequired(
            _l("Say why the acceptance is revoked: the audit trail keeps it.")),
                    Length(max=MAX_REASON_LENGTH)],
        filters=[lambda value: (value or "").strip()],
        description=_l(
            "E.g. the certificate names another company, or it was accepted by mistake."))
    submit = SubmitField(_l("Revoke the acceptance"))
