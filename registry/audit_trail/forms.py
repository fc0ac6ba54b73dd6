"""The audit trail's filter form (a GET form: no CSRF token, nothing changes)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField
from wtforms.validators import Length, Optional, ValidationError


class AuditFilterForm(FlaskForm):
    """Filter events by action, object type, actor and a range of days."""

    class Meta:
        csrf = False

    action = SelectField(_l("Action"), choices=[], validate_choice=False)
    object_type = SelectField(_l("Object"), choices=[], validate_choice=False)
    actor = StringField(_l("Who"), validators=[Optional(), Length(max=100)])
    since = DateField(_l("From"), validators=[Optional()])
    until = DateField(_l("To"), validators=[Optional()])

    def validate_until(self, field):
        """Refuse a range that ends before it starts."""
        if field.data and self.since.data and field.data < self.since.data:
            raise ValidationError(_l("The end date comes before the start date."))

    def filters(self):
        """Return the valid filters as keyword arguments for `filtered_events`."""
        values = {"action": self.action.data or "", "object_type": self.object_type.data or "",
                  "actor": (self.actor.data or "").strip()}
        if not self.since.errors:
            values["since"] = self.since.data
        if not self.until.errors:
            values["until"] = self.until.data
        return values

    def as_args(self):
        """Return the filters as query arguments for pagination links."""
        values = {"action": self.action.data, "object_type": self.object_type.data,
                  "actor": self.actor.data, "since": self.since.raw_data and self.since.raw_data[0],
                  "until": self.until.raw_data and self.until.raw_data[0]}
        return {name: value for name, value in values.items() if value}
