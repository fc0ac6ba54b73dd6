"""Forms of the user administration pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from registry.auth.forms import CodeForm, normalise_email, plausible_email
from registry.models import ROLES, Subcontractor

ROLE_LABELS = {
    "admin": "Administrator: everything, plus users and settings",
    "legal": "Legal: maintain controllers, DPAs, subcontractors; review uploads",
    "auditor": "Auditor: read everything, change nothing",
    "subcontractor": "Subcontractor user: only their own organisation's portal",
}


def _subcontractor_choices():
    rows = (Subcontractor.select(Subcontractor.id, Subcontractor.name)
            .where(Subcontractor.status != "offboarded")
            .order_by(Subcontractor.name))
    return [SelectChoice("", "— none —")] + [SelectChoice(str(row.id), row.name) for row in rows]


class RoleFields(FlaskForm):
    """A role and, for subcontractor users, their organisation."""

    # An empty first choice: a required select must not start on a real value (HTML).
    role = SelectField(_l("Role"), choices=[SelectChoice("", _l("Choose…"))] + [
                           SelectChoice(role, ROLE_LABELS[role]) for role in ROLES],
                       validators=[DataRequired(_l("Choose a role."))])
    subcontractor = SelectField(_l("Subcontractor (for subcontractor users only)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.subcontractor.choices = _subcontractor_choices()

    def validate_subcontractor(self, field):
        """Require an organisation exactly when the role is subcontractor."""
        if self.role.data == "subcontractor" and not field.data:
            raise ValidationError(_l("Choose the subcontractor this user belongs to."))
        if self.role.data != "subcontractor" and field.data:
            raise ValidationError(_l("Only subcontractor users belong to a subcontractor."))

    def chosen_subcontractor(self):
        """Return the chosen Subcontractor row, or None."""
        if not self.subcontractor.data:
            return None
        return Subcontractor.get_or_none(Subcontractor.id == int(self.subcontractor.data))


class InviteForm(RoleFields):
    """Invite a new user by e-mail."""

    email = EmailField(_l("E-mail address"),
                       validators=[DataRequired(_l("Enter the person's e-mail address.")),
                                   Length(max=254), plausible_email],
                       filters=[normalise_email])
    full_name = StringField(_l("Full name"), validators=[Optional(), Length(max=200)])
    submit = SubmitField(_l("Send invitation"))


class ChangeRoleForm(RoleFields):
    """Give a user another role."""

    submit = SubmitField(_l("Change role"))


class ResetMfaForm(CodeForm):
    """Reset a user's authenticator; the admin confirms with a fresh code of their own."""

    submit = SubmitField(_l("Reset authenticator"))
