"""WTForms wrappers around `registry.validation`, so forms refuse with the importer's words."""

from wtforms.validators import ValidationError

from registry.clock import local_today
from registry.validation import (
    business_id_error,
    future_date_error,
    objection_period_error,
    parent_error,
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
