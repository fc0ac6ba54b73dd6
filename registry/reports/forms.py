"""The form on the /reports page: which report, for which controller, as of which day."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, RadioField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, DataRequired, Optional, ValidationError

from registry.models import Controller
from registry.reports.data import REPORTS

WHOLE_REGISTRY = ""


def _controller_choices():
    rows = (Controller.select(Controller.id, Controller.name, Controller.status)
            .order_by(Controller.name, Controller.id))
    ended = " (ended)"
    return [SelectChoice(WHOLE_REGISTRY, "Whole registry")] + [
        SelectChoice(str(row.id), row.name + (ended if row.status != "active" else ""))
        for row in rows
    ]


class ReportForm(FlaskForm):
    """Choose a report, its scope and its date (a GET form: it changes nothing, so no CSRF)."""

    class Meta:
        csrf = False

    kind = RadioField(_l("Report"),
                      choices=[SelectChoice(kind, spec.title) for kind, spec in REPORTS.items()],
                      validators=[DataRequired(message=_l("Choose a report."))])
    # Checked by validate_controller_id (against the table, not the rendered list).
    controller_id = SelectField(_l("Controller"), validate_choice=False)
    today = DateField(_l("As of"), validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.controller_id.choices = _controller_choices()

    def validate_controller_id(self, field):
        """Require a controller for per-controller reports, and an existing one."""
        chosen = self.chosen_controller_id()
        spec = REPORTS.get(self.kind.data)
        if spec is not None and spec.needs_controller and chosen is None:
            raise ValidationError(_l("The %(report)s is made for one controller: choose one.",
                                     report=spec.title.lower()))
        if field.data and (chosen is None or not Controller.select().where(
                Controller.id == chosen).exists()):
            raise ValidationError(_l("Choose a controller from the list."))

    def chosen_controller_id(self):
        """Return the chosen controller id, or None for the whole registry."""
        data = (self.controller_id.data or "").strip()
        return int(data) if data.isdigit() else None


class ReportJobForm(FlaskForm):
    """Ask for a whole-registry report to be made in the background (a POST: CSRF-checked)."""

    kind = HiddenField(validators=[AnyOf([kind for kind, spec in REPORTS.items()
                                          if not spec.needs_controller],
                                         message=_l("Choose a whole-registry report."))])
    today = DateField(_l("As of"), validators=[Optional()])
