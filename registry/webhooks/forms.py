"""The endpoint form: URL, description and the events it receives."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from registry.webhooks.addresses import MAX_URL_LENGTH
from registry.webhooks.events import EVENT_TYPES


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class CheckboxesField(SelectMultipleField):
    """Several choices shown as checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class EndpointForm(FlaskForm):
    """Register or change a webhook endpoint."""

    url = StringField(_l("Receiver URL"), filters=[_strip], validators=[
        DataRequired(_l("Enter the receiver's https:// URL.")),
        Length(max=MAX_URL_LENGTH, message=_l("Keep the URL under 2,000 characters."))])
    description = StringField(_l("Description (optional)"), filters=[_strip], validators=[
        Length(max=200, message=_l("Keep the description under 200 characters."))])
    events = CheckboxesField(_l("Events"), validators=[
        DataRequired(_l("Choose at least one event."))])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.events.choices = [(name, f"{name} — {label}") for name, label in EVENT_TYPES.items()]
