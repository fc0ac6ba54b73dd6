"""WTForms wrappers around `registry.validation`, so forms refuse with the importer's words."""

from zoneinfo import ZoneInfo

from flask import current_app
from wtforms import StringField
from wtforms.validators import ValidationError

from registry.clock import local_today, utc_now
from registry.validation import (
    InstantError,
    approximate_count_error,
    business_id_error,
    future_date_error,
    objection_period_error,
    parent_error,
    parse_instant,
    past_instant_error,
)


def refuse(message):
    """Raise the ValidationError of a shared validator's `message`; do nothing for None."""
    if message:
        raise ValidationError(message)


def past_date(name):
    """Return a field validator refusing a date after today for the date field `name`."""
    def check(_form, field):
        refuse(future_date_error(name, field.data, local_today()))
    return check


def finnish_business_id(country_field="country"):
    """Return a field validator requiring a valid Y-tunnus when the form's country is FI."""
    def check(form, field):
        refuse(business_id_error(form[country_field].data, field.data))
    return check


def objection_period(_form, field):
    """Refuse an objection period of less than a day or of more than a year."""
    refuse(objection_period_error(field.data))


def parent_subcontractor(form, field):
    """Refuse a parent sub-processor that is unknown, offboarded or would close a loop.

    The form carries `links` (registry.subcontractors.queries.ChainLinks: every subcontractor's
    parent, status and name) and `subcontractor_id` (None for a new one); `field.data` is the
    chosen parent's id as text, empty for "engaged directly".
    """
    links = form.links
    parent = int(field.data) if (field.data or "").isdigit() else None
    if field.data and parent not in links.names:
        raise ValidationError("Choose a sub-processor from the list.")
    current = links.parents.get(form.subcontractor_id)
    refuse(parent_error(form.subcontractor_id, parent, links.parents, links.offboarded,
                        current, links.names))


class InstantField(StringField):
    """A date and time typed in REGISTRY_TIMEZONE (or with its UTC offset); `data` is aware.

    The shared parser (`registry.validation.parse_instant`) explains a time the clocks skipped
    or repeated; a value the form shows again is written as it is read, in local time.
    """

    def process_formdata(self, valuelist):
        """Parse the typed text into an aware instant, or keep the parser's message."""
        self.raw_text = (valuelist[0] if valuelist else "").strip()
        self.data = None
        if self.raw_text:
            try:
                self.data = parse_instant(self.raw_text, _zone())
            except InstantError as error:
                raise ValueError(str(error)) from None

    def _value(self):
        if getattr(self, "raw_text", None) is not None and self.data is None:
            return self.raw_text
        if self.data is None:
            return ""
        return self.data.astimezone(_zone()).strftime("%Y-%m-%d %H:%M")


def _zone():
    return ZoneInfo(current_app.config["TIMEZONE"])


def past_instant(label):
    """Return a field validator refusing an instant after now (what `label` names)."""
    def check(_form, field):
        refuse(past_instant_error(label, field.data, utc_now()))
    return check


def approximate_count(_form, field):
    """Refuse a negative or absurd approximate number."""
    refuse(approximate_count_error(field.data))
