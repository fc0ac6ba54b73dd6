"""Incident forms: record or edit an incident, add controllers, send a follow-up, close."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from registry.form_validation import InstantField, approximate_count, past_instant, refuse
from registry.validation import LONG_TEXT_LENGTH, NAME_LENGTH, subcontractor_awareness_error

TIME_HINT = ("Date and time in {zone}, e.g. 2026-11-25 14:30. Add the UTC offset (+02:00) "
             "only for an hour the clocks go back.")


def _text(label, hint, required=None):
    validators = [InputRequired(required)] if required else [Optional()]
    return TextAreaField(label, validators=[*validators, Length(max=LONG_TEXT_LENGTH)],
                         description=hint)


def _optional_id(value):
    """Read a select's value as an id; the empty "none" choice (or nonsense) is None."""
    return int(value) if str(value).isdigit() else None


def _count(label, hint):
    return IntegerField(label, validators=[Optional(), approximate_count], description=hint)


class IncidentFactsForm(FlaskForm):
    """What the controllers need for their own notification (Art. 33(3)(a)-(d))."""

    title = StringField(_l("Short title"), validators=[
        InputRequired(_l("Give the incident a short title.")), Length(max=NAME_LENGTH)],
        description=_l("How people will recognise it, e.g. “Order export e-mailed to the wrong "
                    "customer”."))
    aware_at = InstantField(_l("When did you become aware of it?"), validators=[
        InputRequired(_l("Enter when you became aware of the breach.")),
        past_instant("The time you became aware")])
    nature = _text(_l("What happened"), _l("The nature of the breach: what data, how, since when."),
                   _l("Describe what happened."))
    data_subject_categories = _text(_l("Categories of data subjects"),
                                    _l("E.g. web-shop customers, gift-card holders."))
    data_subject_count = _count("Approximate number of data subjects",
                                "Leave empty while it is not known; follow up later.")
    record_categories = _text(_l("Categories of personal data records"),
                              _l("E.g. names, e-mail addresses, order histories."))
    record_count = _count("Approximate number of records",
                          "Leave empty while it is not known; follow up later.")
    likely_consequences = _text(_l("Likely consequences"), _l("For the people whose data it is."))
    measures = _text(_l("Measures taken or proposed"),
                     _l("To address the breach and to mitigate its possible adverse effects."))
    contact_point = _text(_l("Contact point"),
                          _l("Who the controller can ask for more information."),
                          _l("Say who the controllers can contact for more information."))

    def values(self):
        """Return the model values of the facts (instants as aware datetimes)."""
        names = ("title", "nature", "data_subject_categories", "record_categories",
                 "likely_consequences", "measures", "contact_point")
        values = {name: (self[name].data or "").strip() for name in names}
        values.update(aware_at=self.aware_at.data, data_subject_count=self.data_subject_count.data,
                      record_count=self.record_count.data)
        return values


class IncidentForm(IncidentFactsForm):
    """Record a new incident: the facts, who detected it and whom it affects."""

    detected_by = RadioField(_l("Who detected it?"), default="internal", choices=[
        SelectChoice("internal", _l("We did")),
        SelectChoice("subcontractor", _l("A subcontractor reported it to us")),
    ])
    subcontractor = SelectField(_l("Subcontractor"), coerce=_optional_id, choices=[],
                                validate_choice=False,
                                description=_l("The one that reported it, or whose data "
                                            "processing it concerns."))
    subcontractor_aware_at = InstantField(
        _l("When did the subcontractor become aware of it?"), validators=[
            Optional(), past_instant("The time the subcontractor became aware")],
        description=_l("As its report says; it shows whether it reported within its promise."))
    affected_scope = RadioField(_l("Whose personal data does it affect?"), default="controllers",
                                choices=[
        SelectChoice("controllers", _l("The controllers I choose")),
        SelectChoice("subcontractor", _l("Every controller whose data the subcontractor "
                                      "processes")),
    ])
    controllers = SelectMultipleField(_l("Affected controllers"), coerce=int, choices=[],
                                      description=_l("Hold Ctrl (or ⌘) to choose several."))
    submit = SubmitField(_l("Record the incident"))

    def record_values(self):
        """Return the model values of the new incident: its facts, who detected it, its scope."""
        values = self.values()
        detected_by = self.detected_by.data
        values.update(
            detected_by=detected_by, affected_scope=self.affected_scope.data,
            subcontractor=self.subcontractor.data if self._needs_subcontractor() else None,
            subcontractor_aware_at=(self.subcontractor_aware_at.data
                                    if detected_by == "subcontractor" else None))
        return values

    def _needs_subcontractor(self):
        return self.detected_by.data == "subcontractor" or \
            self.affected_scope.data == "subcontractor"

    def validate_subcontractor(self, field):
        """Require a known subcontractor when it reported or defines the scope."""
        offered = {choice.value for choice in field.choices} - {""}
        if self._needs_subcontractor() and field.data not in offered:
            raise ValidationError(_l("Choose the subcontractor."))

    def validate_subcontractor_aware_at(self, field):
        """Require the subcontractor's own awareness for its report, and not after the report."""
        if self.detected_by.data != "subcontractor":
            return
        if field.data is None and not field.errors:
            raise ValidationError(_l("Enter when the subcontractor became aware of it (its "
                                  "report says so)."))
        refuse(subcontractor_awareness_error(field.data, self.aware_at.data))

    def validate_controllers(self, field):
        """Require at least one controller unless the subcontractor's controllers are meant."""
        if self.affected_scope.data == "controllers" and not field.data:
            raise ValidationError(_l("Choose at least one affected controller, or every "
                                  "controller whose data the subcontractor processes."))


class EditIncidentForm(IncidentFactsForm):
    """Correct or complete an incident's facts; `row_version` guards against lost changes."""

    row_version = HiddenField()
    submit = SubmitField(_l("Save the changes"))


class AddControllersForm(FlaskForm):
    """Add controllers found to be affected after the incident was recorded."""

    controllers = SelectMultipleField(_l("Controllers to add"), coerce=int, choices=[],
                                      validators=[InputRequired(_l("Choose at least one "
                                                                "controller."))])
    submit = SubmitField(_l("Add"))


class NotifyForm(FlaskForm):
    """Send the first notice: to one controller (`notice`), or to every one not yet notified."""

    notice = IntegerField(validators=[Optional()])


class FollowUpForm(FlaskForm):
    """Send what has been learnt since the first notice (Art. 33(4)) to notified controllers."""

    text = TextAreaField(_l("What is new"), validators=[
        InputRequired(_l("Write what the controllers did not know yet.")),
        Length(max=LONG_TEXT_LENGTH)],
        description=_l("E.g. the final number of people affected, the cause, further measures."))
    submit = SubmitField(_l("Send the follow-up"))


class CloseForm(FlaskForm):
    """Close the incident (after every controller was notified)."""

    row_version = HiddenField()


def with_time_hints(form, zone_name):
    """Name the registry's time zone in the hints of the form's date-and-time fields."""
    for field in form:
        if isinstance(field, InstantField) and not field.description:
            field.description = TIME_HINT.format(zone=zone_name)
    return form


class BreachReportForm(IncidentFactsForm):
    """A subcontractor's report of a breach in its portal; its arrival starts our clock."""

    aware_at = None
    subcontractor_aware_at = InstantField(_l("When did you become aware of it?"), validators=[
        InputRequired(_l("Enter when you became aware of the breach.")),
        past_instant("The time you became aware")])
    contact_point = TextAreaField(
        _l("Who can we contact about it?"), validators=[
            InputRequired(_l("Say who we can contact for more information.")),
            Length(max=LONG_TEXT_LENGTH)],
        description=_l("Name, e-mail address and telephone number."))
    submit = SubmitField(_l("Send the report"))

    def values(self):
        """Return the model values of the report (the processor's awareness is set on arrival)."""
        names = ("title", "nature", "data_subject_categories", "record_categories",
                 "likely_consequences", "measures", "contact_point")
        values = {name: (self[name].data or "").strip() for name in names}
        values.update(subcontractor_aware_at=self.subcontractor_aware_at.data,
                      data_subject_count=self.data_subject_count.data,
                      record_count=self.record_count.data)
        return values
