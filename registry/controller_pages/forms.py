"""The forms of a controller's page: an objection with its reason, and plain confirmations."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length

MAX_REASON = 2000


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class ObjectionForm(FlaskForm):
    """Object to a sub-processor (in time or late), giving the reason."""

    reason = TextAreaField(
        _l("Your reason"), filters=[_strip],
        description=_l("Tell us why, so that we can look for a solution together."),
        validators=[DataRequired(_l("Give the reason for your objection.")),
                    Length(max=MAX_REASON, message=f"Keep the reason under {MAX_REASON} "
                                                   "characters.")])


class ConfirmForm(FlaskForm):
    """A button that carries only its CSRF token (confirm an instruction, or a mailed request)."""


class SubscribeForm(FlaskForm):
    """Subscribe an e-mail address to the public page's changes."""

    email = StringField(_l("E-mail address"), filters=[_strip], validators=[
        DataRequired(_l("Enter your e-mail address.")), Length(max=254)])
