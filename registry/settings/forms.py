"""The settings form: one field per setting of `store.SETTINGS`."""

from flask_babel import format_number
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import Length, ValidationError

from registry.settings.store import SETTINGS
from registry.validation import email_error


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class SettingsForm(FlaskForm):
    """Edit the processor's details."""


def _an_email_address(_form, field):
    """Refuse anything but one deliverable e-mail address (an empty field is fine)."""
    problem = field.data and email_error(field.data)
    if problem:
        raise ValidationError(problem)


for _spec in SETTINGS:
    _field_class = TextAreaField if _spec.multiline else StringField
    setattr(SettingsForm, _spec.key, _field_class(
        _spec.label,
        description=_spec.help,
        validators=[Length(max=_spec.max_length,
                           # The limit with the locale's digit grouping, when shown.
                           message=_l("Keep it under %(count)s characters.",
                                      count=LazyString(format_number, _spec.max_length))),
                    *([_an_email_address] if _spec.is_email else [])],
        filters=[_strip],
        render_kw={"rows": 12 if _spec.max_length > 1000 else 4} if _spec.multiline else {},
    ))
